"""The desk's sign-in (F32): login and password, then a TOTP code or a recovery code;
enrolment at the first sign-in with the operator's one-time enrolment code, then by QR
code, ten recovery codes shown once; a code is good once; wrong codes are throttled; every
step audited (ADR 0065, 0072)."""

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
    RECOVERY_SHOWN,
    SECRET_SHOWN,
    code_now,
    enrolment_code,
    enter_enrolment_code,
    enter_password,
    remember_enrolment_code,
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


def enrolled_and_signed_out(site: Site, login: str = "ivanova") -> None:
    sign_in_to_office(site, login)
    sign_out_of_office(site)
    site.clock.advance(seconds=30)  # the next sign-in needs the next code


def test_the_first_sign_in_enrols_the_app_from_a_qr_code_and_the_code_signs_in(
    site: Site,
) -> None:
    assert enter_password(site, "ivanova").headers["location"] == "/office/sign-in/code"
    asked = site.get("/office/sign-in/code")
    assert "Введите код подключения" in asked.text
    assert "<svg" not in asked.text

    assert enter_enrolment_code(site, "ivanova").headers["location"] == "/office/sign-in/code"
    code_page = site.get("/office/sign-in/code")

    assert code_page.status_code == 200
    assert "Подключите приложение-аутентификатор" in code_page.text
    assert "<svg" in code_page.text
    shown = SECRET_SHOWN.search(code_page.text)
    assert shown is not None
    assert shown[1] == stored_secret(site, "ivanova")

    code = pyotp.TOTP(shown[1]).at(site.clock.now())
    answer = site.post("/office/sign-in/code", {"code": code})

    assert answer.status_code == 200
    assert answer.headers["cache-control"] == "no-store"
    assert len(set(RECOVERY_SHOWN.findall(answer.text))) == 10
    home = site.get("/office")
    assert home.status_code == 200
    assert "Здравствуйте, Иванова Мария" in home.text
    assert home.headers["cache-control"] == "no-store"
    kinds = staff_events(site, "ivanova")
    assert (AuditKind.STAFF_SIGN_IN, {"enrolled": "yes"}) in kinds
    assert (AuditKind.STAFF_ENROLMENT_STARTED, {}) in kinds


def test_the_key_is_stored_sealed_not_in_plain_text(site: Site) -> None:
    sign_in_to_office(site, "ivanova")

    with site.container.uow_factory()(read_only=True) as uow:
        member = uow.staff.get("ivanova")
    assert member is not None
    assert member.totp_secret is not None
    assert member.totp_secret.startswith("gAAAAA")  # a Fernet token
    assert stored_secret(site, "ivanova") not in member.totp_secret


def test_no_key_is_made_or_shown_without_the_enrolment_code(site: Site) -> None:
    enter_password(site, "ivanova")

    answer = site.post("/office/sign-in/enrol", {"enrolment_code": "AAAA-BBBB-CCCC-DDDD"})

    assert answer.status_code == 400
    assert "Код подключения не подходит или истёк" in answer.text
    assert "<svg" not in answer.text
    with site.container.uow_factory()(read_only=True) as uow:
        member = uow.staff.get("ivanova")
    assert member is not None
    assert member.totp_secret is None
    assert (AuditKind.STAFF_CODE_FAILED, {"step": "enrolment"}) in staff_events(site, "ivanova")
    # Nor does a six-digit code go past the enrolment code.
    assert site.post("/office/sign-in/code", {"code": "123456"}).status_code == 303
    assert site.get("/office").headers["location"] == "/office/sign-in"


def test_the_enrolment_code_is_typed_in_any_case_with_or_without_dashes(site: Site) -> None:
    enter_password(site, "ivanova")
    typed = enrolment_code(site, "ivanova").replace("-", " ").lower()

    answer = site.post("/office/sign-in/enrol", {"enrolment_code": typed})

    assert answer.headers["location"] == "/office/sign-in/code"


def test_the_enrolment_code_works_once(site: Site) -> None:
    enter_password(site, "ivanova")
    enter_enrolment_code(site, "ivanova")
    first_browser = site.client.cookies.get(OFFICE_COOKIE)

    enter_password(site, "ivanova")  # someone else with the password, and the code
    answer = enter_enrolment_code(site, "ivanova")

    assert answer.status_code == 400
    assert "<svg" not in answer.text
    assert first_browser
    site.client.cookies.set(OFFICE_COOKIE, first_browser)
    assert SECRET_SHOWN.search(site.get("/office/sign-in/code").text) is not None


def test_the_key_is_shown_only_to_the_browser_that_typed_the_enrolment_code(
    site: Site,
) -> None:
    enter_password(site, "ivanova")
    enter_enrolment_code(site, "ivanova")

    enter_password(site, "ivanova")  # another browser, password only
    code_page = site.get("/office/sign-in/code")

    assert "Введите код подключения" in code_page.text
    assert SECRET_SHOWN.search(code_page.text) is None
    assert site.post("/office/sign-in/code", {"code": code_now(site, "ivanova")}).status_code == 303
    assert site.get("/office").headers["location"] == "/office/sign-in"


def test_an_enrolment_code_expires_after_a_day(site: Site) -> None:
    site.clock.advance(hours=24, seconds=1)
    enter_password(site, "ivanova")

    answer = enter_enrolment_code(site, "ivanova")

    assert answer.status_code == 400
    assert "Код подключения не подходит или истёк" in answer.text


def test_a_reset_forgets_the_second_factor_the_recovery_codes_and_the_sessions(
    site: Site,
) -> None:
    from lk_core.staff.administration import reset_staff

    sign_in_to_office(site, "ivanova")
    old_key = stored_secret(site, "ivanova")
    new_password = "новая смена диспетчера 8"
    change = reset_staff(site.container.staff(), "operator:test", "ivanova", new_password,
                         new_password)  # fmt: skip

    assert change.sessions_ended == 1
    assert change.enrolment_code
    assert change.enrolment_code != enrolment_code(site, "ivanova")
    assert site.get("/office").headers["location"] == "/office/sign-in"
    with site.container.uow_factory()(read_only=True) as uow:
        assert uow.staff_recovery_codes.remaining("ivanova") == 0
    site.clock.advance(seconds=30)
    enter_password(site, "ivanova", new_password)
    assert "Введите код подключения" in site.get("/office/sign-in/code").text
    assert enter_enrolment_code(site, "ivanova").status_code == 400  # the old code
    remember_enrolment_code(site, "ivanova", change.enrolment_code)
    assert enter_enrolment_code(site, "ivanova").status_code == 303
    assert stored_secret(site, "ivanova") != old_key


def test_a_recovery_code_signs_in_once_instead_of_a_totp_code_and_is_audited(
    site: Site,
) -> None:
    enter_password(site, "ivanova")
    enter_enrolment_code(site, "ivanova")
    shown = site.post("/office/sign-in/code", {"code": code_now(site, "ivanova")})
    recovery = RECOVERY_SHOWN.findall(shown.text)
    sign_out_of_office(site)

    enter_password(site, "ivanova")
    answer = site.post("/office/sign-in/code", {"code": recovery[3].lower()})

    assert answer.status_code == 303
    assert answer.headers["location"] == "/office"
    home = site.get("/office")
    assert "Осталось неиспользованных резервных кодов: <strong>9</strong>" in home.text
    events = staff_events(site, "ivanova")
    assert (AuditKind.STAFF_RECOVERY_CODE_USED, {"left": "9"}) in events
    assert (AuditKind.STAFF_SIGN_IN, {"recovery_code": "yes"}) in events
    sign_out_of_office(site)
    enter_password(site, "ivanova")
    again = site.post("/office/sign-in/code", {"code": recovery[3]})
    assert again.status_code == 400
    assert (AuditKind.STAFF_CODE_FAILED, {"step": "recovery"}) in staff_events(site, "ivanova")


def test_the_desk_warns_when_few_recovery_codes_are_left(site: Site) -> None:
    enter_password(site, "ivanova")
    enter_enrolment_code(site, "ivanova")
    recovery = RECOVERY_SHOWN.findall(
        site.post("/office/sign-in/code", {"code": code_now(site, "ivanova")}).text
    )
    for code in recovery[:7]:
        sign_out_of_office(site)
        enter_password(site, "ivanova")
        assert site.post("/office/sign-in/code", {"code": code}).status_code == 303

    home = site.get("/office")

    assert "<strong>3</strong> из 10" in home.text
    assert "Резервные коды заканчиваются" in home.text


def test_an_enrolled_member_is_shown_no_key_again(site: Site) -> None:
    enrolled_and_signed_out(site)

    enter_password(site, "ivanova")
    code_page = site.get("/office/sign-in/code")

    assert "Введите код из приложения" in code_page.text
    assert SECRET_SHOWN.search(code_page.text) is None
    assert "<svg" not in code_page.text


def test_the_session_id_changes_when_the_code_is_accepted(site: Site) -> None:
    enrolled_and_signed_out(site)
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
    enrolled_and_signed_out(site)
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
    enrolled_and_signed_out(site)
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
    enrolled_and_signed_out(site)
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
