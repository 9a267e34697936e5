"""The desk's sign-in (F32): login and password, then a TOTP code; enrolment by QR code at
the first sign-in; a code is good once; wrong codes are throttled; every step audited."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyotp
import pytest

from lk_core.access.audit import AuditKind
from lk_core.access.sessions import session_id_hash
from lk_core.staff.ports import StaffEventQuery
from office_fixtures import (
    OFFICE_COOKIE,
    SECRET_SHOWN,
    code_now,
    enter_password,
    sign_in_to_office,
    sign_out_of_office,
    stored_secret,
)
from personal_site import Site


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    from office_fixtures import an_office

    with an_office(tmp_path) as site:
        yield site


def staff_events(site: Site, login: str) -> list[tuple[AuditKind, dict[str, str]]]:
    with site.container.uow_factory()(read_only=True) as uow:
        found = uow.staff_audit.staff_events(StaffEventQuery(login=login), 0, 100)
    return [(event.kind, dict(event.details)) for event in found]


def test_the_first_sign_in_enrols_the_app_from_a_qr_code_and_the_code_signs_in(
    site: Site,
) -> None:
    assert enter_password(site, "ivanova").headers["location"] == "/office/sign-in/code"
    code_page = site.get("/office/sign-in/code")

    assert code_page.status_code == 200
    assert "Подключите приложение-аутентификатор" in code_page.text
    assert "<svg" in code_page.text
    shown = SECRET_SHOWN.search(code_page.text)
    assert shown is not None
    assert shown[1] == stored_secret(site, "ivanova")

    code = pyotp.TOTP(shown[1]).at(site.clock.now())
    answer = site.post("/office/sign-in/code", {"code": code})

    assert answer.status_code == 303
    assert answer.headers["location"] == "/office"
    home = site.get("/office")
    assert home.status_code == 200
    assert "Здравствуйте, Иванова Мария" in home.text
    assert home.headers["cache-control"] == "no-store"
    assert (AuditKind.STAFF_SIGN_IN, {"enrolled": "yes"}) in staff_events(site, "ivanova")


def test_an_enrolled_member_is_shown_no_key_again(site: Site) -> None:
    sign_in_to_office(site, "ivanova")
    sign_out_of_office(site)
    site.clock.advance(seconds=30)

    enter_password(site, "ivanova")
    code_page = site.get("/office/sign-in/code")

    assert "Введите код из приложения" in code_page.text
    assert SECRET_SHOWN.search(code_page.text) is None
    assert "<svg" not in code_page.text


def test_the_session_id_changes_when_the_code_is_accepted(site: Site) -> None:
    enter_password(site, "ivanova")
    half = site.client.cookies.get(OFFICE_COOKIE)

    site.post("/office/sign-in/code", {"code": code_now(site, "ivanova")})
    signed_in = site.client.cookies.get(OFFICE_COOKIE)

    assert half
    assert signed_in
    assert signed_in != half
    with site.container.uow_factory()(read_only=True) as uow:
        assert uow.staff_sessions.get(session_id_hash(half)) is None


def test_a_wrong_code_is_refused_and_audited(site: Site) -> None:
    enter_password(site, "ivanova")
    right = code_now(site, "ivanova")
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"

    answer = site.post("/office/sign-in/code", {"code": wrong})

    assert answer.status_code == 400
    assert "Код не подходит" in answer.text
    assert site.get("/office").headers["location"] == "/office/sign-in"
    assert (AuditKind.STAFF_CODE_FAILED, {"reused": "no"}) in staff_events(site, "ivanova")


def test_a_code_used_once_is_refused_within_its_window(site: Site) -> None:
    sign_in_to_office(site, "ivanova")
    used = code_now(site, "ivanova")
    sign_out_of_office(site)

    enter_password(site, "ivanova")
    answer = site.post("/office/sign-in/code", {"code": used})

    assert answer.status_code == 400
    assert (AuditKind.STAFF_CODE_FAILED, {"reused": "yes"}) in staff_events(site, "ivanova")
    site.clock.advance(seconds=30)
    assert site.post("/office/sign-in/code", {"code": code_now(site, "ivanova")}).status_code == 303


def test_wrong_codes_are_throttled_before_the_code_is_checked(site: Site) -> None:
    enter_password(site, "ivanova")
    right = code_now(site, "ivanova")
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    for _ in range(5):
        assert site.post("/office/sign-in/code", {"code": wrong}).status_code == 400

    answer = site.post("/office/sign-in/code", {"code": right})

    assert answer.status_code == 429
    assert "Слишком много попыток" in answer.text
    assert site.get("/office").status_code == 303
    kinds = [kind for kind, _ in staff_events(site, "ivanova")]
    assert AuditKind.STAFF_SIGN_IN_THROTTLED in kinds


def test_a_wrong_password_says_no_more_than_an_unknown_login(site: Site) -> None:
    wrong_password = enter_password(site, "ivanova", "не тот пароль совсем")
    unknown_login = enter_password(site, "nobody", "не тот пароль совсем")

    assert wrong_password.status_code == unknown_login.status_code == 400
    assert "Неверный логин или пароль" in wrong_password.text
    assert "Неверный логин или пароль" in unknown_login.text
    assert site.get("/office/sign-in/code").headers["location"].startswith("/office/sign-in")


def test_wrong_passwords_are_throttled(site: Site) -> None:
    for _ in range(10):
        assert enter_password(site, "ivanova", "не тот пароль совсем").status_code == 400

    assert enter_password(site, "ivanova").status_code == 429


def test_a_disabled_member_cannot_sign_in_and_loses_the_session(site: Site) -> None:
    from lk_core.staff.administration import disable_staff

    sign_in_to_office(site, "ivanova")
    disable_staff(site.container.staff(), "operator:test", "ivanova")

    assert site.get("/office").headers["location"] == "/office/sign-in"
    assert enter_password(site, "ivanova").status_code == 400


def test_the_code_step_expires_after_five_minutes(site: Site) -> None:
    enter_password(site, "ivanova")
    site.clock.advance(minutes=6)

    answer = site.post("/office/sign-in/code", {"code": code_now(site, "ivanova")})

    assert answer.headers["location"] == "/office/sign-in?notice=expired"


def test_a_staff_session_times_out_after_fifteen_idle_minutes(site: Site) -> None:
    sign_in_to_office(site, "ivanova")
    site.clock.advance(minutes=16)

    assert site.get("/office").headers["location"] == "/office/sign-in"


def test_lk_db_purge_forgets_staff_sessions_past_their_timeout(site: Site) -> None:
    from lk_core.staff.sign_in import purge_staff_sessions

    raw = sign_in_to_office(site, "ivanova")
    assert purge_staff_sessions(site.container.staff()) == 0
    site.clock.advance(minutes=16)

    assert purge_staff_sessions(site.container.staff()) == 1
    with site.container.uow_factory()(read_only=True) as uow:
        assert uow.staff_sessions.get(session_id_hash(raw)) is None
