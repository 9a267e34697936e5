"""The desk's tests share: the demo portal with residents in two houses, staff members
made through the use cases (their one-time enrolment codes kept), and a browser that signs
in to the desk, enrolling with the enrolment code, with a real TOTP code computed by pyotp
at the portal's (held) clock from the key the enrolment page shows."""

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
RECOVERY_SHOWN = re.compile(r"<li><code>([A-Z2-7]{4}(?:-[A-Z2-7]{4}){3})</code></li>")
# The enrolment codes `create_staff` returned, by the site's container and login.
_ENROLMENT_CODES: dict[int, dict[str, str]] = {}
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
        codes = _ENROLMENT_CODES.setdefault(id(site.container), {})
        made = create_staff(staff, "operator:test", "ivanova", "Иванова Мария",
                            StaffRole.DISPATCHER, STAFF_PASSWORD, STAFF_PASSWORD)  # fmt: skip
        codes["ivanova"] = made.enrolment_code
        made = create_staff(staff, "operator:test", "boss", "Смирнов Олег", StaffRole.ADMIN,
                            STAFF_PASSWORD, STAFF_PASSWORD)  # fmt: skip
        codes["boss"] = made.enrolment_code
        try:
            yield site
        finally:
            _ENROLMENT_CODES.pop(id(site.container), None)


def enrolment_code(site: Site, login: str) -> str:
    """The member's enrolment code, as the operator handed it over."""
    return _ENROLMENT_CODES[id(site.container)][login]


def remember_enrolment_code(site: Site, login: str, code: str) -> None:
    """A new enrolment code (after `reset_staff`)."""
    _ENROLMENT_CODES[id(site.container)][login] = code


def stored_secret(site: Site, login: str) -> str:
    """The member's TOTP key, unsealed (the database holds it only encrypted)."""
    with site.container.uow_factory()(read_only=True) as uow:
        member = uow.staff.get(login)
    assert member is not None
    assert member.totp_secret is not None
    secret = site.container.sealer().unseal(member.totp_secret)
    assert secret is not None
    return secret


def code_now(site: Site, login: str) -> str:
    """The code the member's authenticator app shows at the portal's clock."""
    return str(pyotp.TOTP(stored_secret(site, login)).at(site.clock.now()))


def enter_password(site: Site, login: str, password: str = STAFF_PASSWORD) -> Response:
    site.client.cookies.delete(OFFICE_COOKIE)
    return site.post("/office/sign-in", {"login": login, "password": password})


def enter_enrolment_code(site: Site, login: str) -> Response:
    """After the password: the enrolment code, which opens the QR code page."""
    return site.post("/office/sign-in/enrol", {"enrolment_code": enrolment_code(site, login)})


def is_enrolled(site: Site, login: str) -> bool:
    with site.container.uow_factory()(read_only=True) as uow:
        member = uow.staff.get(login)
    assert member is not None
    return member.is_enrolled


def sign_in_to_office(site: Site, login: str) -> str:
    """Sign in with password and code (enrolling with the enrolment code at the first
    time, the recovery codes then shown passed over); the staff cookie."""
    enrolling = not is_enrolled(site, login)
    answer = enter_password(site, login)
    assert answer.status_code == 303, answer.text[:500]
    assert answer.headers["location"] == "/office/sign-in/code"
    if enrolling:
        answer = enter_enrolment_code(site, login)
        assert answer.status_code == 303, answer.text[:500]
        assert answer.headers["location"] == "/office/sign-in/code"
    answer = site.post("/office/sign-in/code", {"code": code_now(site, login)})
    if enrolling:
        assert answer.status_code == 200, answer.text[:500]
        assert len(RECOVERY_SHOWN.findall(answer.text)) == 10
    else:
        assert answer.status_code == 303, answer.text[:500]
        assert answer.headers["location"] == "/office"
    cookie = site.client.cookies.get(OFFICE_COOKIE)
    assert cookie
    return cookie


def sign_out_of_office(site: Site) -> None:
    assert site.post("/office/sign-in/out").status_code == 303
