"""The desk's tests share: the demo portal with residents in two houses, staff members
made through the use cases, and a browser that signs in to the desk with a real TOTP code
computed by pyotp at the portal's (held) clock."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import attrs
import pyotp
from httpx import Response

from access_fixtures import IVANOV, PASSWORD, PETROVA
from lk_core.accounts.account import House
from lk_core.staff.administration import create_staff
from lk_core.staff.members import StaffRole
from personal_site import Site, a_site

STAFF_PASSWORD = "диспетчерская смена 7"
OFFICE_COOKIE = "lk_office"
SECRET_SHOWN = re.compile(r'<p class="totp-secret"><code>([A-Z2-7]+)</code></p>')
H2 = House("H2", "г. Тверь, ул. Трёхсвятская, д. 5", Decimal("3100.00"))


@contextmanager
def an_office(folder: Path, **env: str) -> Iterator[Site]:
    """The demo portal: Иванов (house H1) and Петрова (moved to house H2) registered;
    a dispatcher `ivanova` and an admin `boss`, neither enrolled yet."""
    with a_site(folder, **env) as site:
        with site.container.uow_factory()() as uow:
            uow.houses.upsert_many([H2])
            petrova = uow.accounts.get(PETROVA)
            assert petrova is not None
            uow.accounts.upsert_from_billing([attrs.evolve(petrova, house_code="H2")])
            uow.commit()
        site.register(IVANOV, "ivanov@mail.ru", PASSWORD)
        site.register(PETROVA, "petrova@mail.ru", PASSWORD)
        staff = site.container.staff()
        create_staff(staff, "operator:test", "ivanova", "Иванова Мария", StaffRole.DISPATCHER,
                     STAFF_PASSWORD, STAFF_PASSWORD)  # fmt: skip
        create_staff(staff, "operator:test", "boss", "Смирнов Олег", StaffRole.ADMIN,
                     STAFF_PASSWORD, STAFF_PASSWORD)  # fmt: skip
        yield site


def stored_secret(site: Site, login: str) -> str:
    with site.container.uow_factory()(read_only=True) as uow:
        member = uow.staff.get(login)
    assert member is not None
    assert member.totp_secret is not None
    return member.totp_secret


def code_now(site: Site, login: str) -> str:
    """The code the member's authenticator app shows at the portal's clock."""
    return str(pyotp.TOTP(stored_secret(site, login)).at(site.clock.now()))


def enter_password(site: Site, login: str, password: str = STAFF_PASSWORD) -> Response:
    site.client.cookies.delete(OFFICE_COOKIE)
    return site.post("/office/sign-in", {"login": login, "password": password})


def sign_in_to_office(site: Site, login: str) -> str:
    """Sign in with password and code (enrolling at the first time); the staff cookie."""
    answer = enter_password(site, login)
    assert answer.status_code == 303, answer.text[:500]
    assert answer.headers["location"] == "/office/sign-in/code"
    answer = site.post("/office/sign-in/code", {"code": code_now(site, login)})
    assert answer.status_code == 303, answer.text[:500]
    assert answer.headers["location"] == "/office"
    cookie = site.client.cookies.get(OFFICE_COOKIE)
    assert cookie
    return cookie


def sign_out_of_office(site: Site) -> None:
    assert site.post("/office/sign-in/out").status_code == 303
