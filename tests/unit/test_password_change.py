"""«Изменить пароль» (F19): the current password first, checked like a sign-in; the new one by
policy; every other session ends, this one gets a new id; a notice, never the password."""

from __future__ import annotations

import pytest

from access_fixtures import (
    IP,
    IVANOV,
    NEW_PASSWORD,
    OTHER_IP,
    PASSWORD,
    PETROVA,
    SEMENOV,
    Portal,
    a_portal,
)
from lk_core.access.audit import AuditKind
from lk_core.access.errors import CurrentPasswordWrong, PasswordRejected, SignInFailed
from lk_core.access.linking import switch_account
from lk_core.access.password_change import PasswordChange, change_password
from lk_core.access.sessions import Session, session_id_hash
from lk_core.access.sign_in import current_session, sign_in
from lk_core.access.throttling import Throttled
from lk_core.kernel.errors import InvalidValue, NotFound
from personal_data_fixtures import IVANOV_EMAIL, link_by_surname, signed_in


@pytest.fixture
def portal() -> Portal:
    portal = a_portal()
    portal.register(IVANOV)
    portal.register(SEMENOV)
    return portal


@pytest.fixture
def ivanov(portal: Portal) -> Session:
    return signed_in(portal)


def change(
    portal: Portal,
    session: Session | None,
    current: str = PASSWORD,
    new: str = NEW_PASSWORD,
    confirmation: str | None = None,
    *,
    ip: str = IP,
) -> str:
    form = PasswordChange(current, new, new if confirmation is None else confirmation)
    return change_password(portal.ctx, session, form, ip=ip)


def signs_in(portal: Portal, password: str, number: str = IVANOV) -> bool:
    try:
        sign_in(portal.ctx, number, password, ip=OTHER_IP, current_session=None)
    except SignInFailed:
        return False
    return True


def test_the_right_current_password_replaces_the_password(portal: Portal, ivanov: Session) -> None:
    change(portal, ivanov)

    assert signs_in(portal, NEW_PASSWORD)
    assert not signs_in(portal, PASSWORD)


def test_every_other_session_of_the_registration_ends_and_others_residents_stay(
    portal: Portal, ivanov: Session
) -> None:
    elsewhere = signed_in(portal)
    semenov = signed_in(portal, SEMENOV)

    raw = change(portal, ivanov)

    assert elsewhere.id_hash not in portal.store.sessions
    assert semenov.id_hash in portal.store.sessions
    renewed = current_session(portal.ctx, raw)
    assert renewed is not None
    assert renewed.registration_key == IVANOV


def test_this_session_gets_a_new_id_and_keeps_the_account_it_shows(
    portal: Portal, ivanov: Session
) -> None:
    link_by_surname(portal, ivanov, PETROVA)
    switch_account(portal.ctx, ivanov, PETROVA)

    raw = change(portal, ivanov)

    assert ivanov.id_hash not in portal.store.sessions
    assert session_id_hash(raw) != ivanov.id_hash
    renewed = current_session(portal.ctx, raw)
    assert renewed is not None
    assert (renewed.registration_key, renewed.account_key) == (IVANOV, PETROVA)
    assert [s.id_hash for s in portal.sessions() if s.registration_key == IVANOV] == [
        renewed.id_hash
    ]


def test_a_notice_goes_to_the_email_on_file_and_never_a_password(
    portal: Portal, ivanov: Session
) -> None:
    change(portal, ivanov)

    [notice] = [m for m in portal.emails_to(IVANOV_EMAIL) if m.email and "изменён" in m.email.text]
    assert notice.email is not None
    assert "100234-А" in notice.email.text
    for message in portal.messages():
        text = message.email.text if message.email else ""
        assert NEW_PASSWORD not in text
        assert PASSWORD not in text


def test_the_change_is_audited_without_either_password(portal: Portal, ivanov: Session) -> None:
    change(portal, ivanov)

    [event] = [e for e in portal.audit_events() if e.kind is AuditKind.PASSWORD_CHANGED]
    assert (event.account_key, event.ip) == (IVANOV, IP)
    assert PASSWORD not in repr(portal.audit_events())
    assert NEW_PASSWORD not in repr(portal.audit_events())


def test_a_wrong_current_password_changes_nothing_and_counts_as_a_failed_sign_in(
    portal: Portal, ivanov: Session
) -> None:
    with pytest.raises(CurrentPasswordWrong):
        change(portal, ivanov, current="не тот пароль вовсе")

    assert signs_in(portal, PASSWORD)
    assert ivanov.id_hash in portal.store.sessions
    [failure] = [e for e in portal.audit_events() if e.kind is AuditKind.SIGN_IN_FAILED]
    assert (failure.account_key, dict(failure.details)) == (IVANOV, {"during": "password_change"})
    assert "не тот пароль вовсе" not in repr(portal.audit_events())


def test_wrong_current_passwords_are_throttled_per_session_before_argon2_runs(
    portal: Portal, ivanov: Session
) -> None:
    for _ in range(10):
        with pytest.raises(CurrentPasswordWrong):
            change(portal, ivanov, current="не тот пароль вовсе")
    checks = portal.hasher.verify_calls

    with pytest.raises(Throttled):
        change(portal, ivanov)

    assert portal.hasher.verify_calls == checks
    portal.clock.advance(minutes=15)
    assert change(portal, ivanov)


def test_a_flood_of_wrong_sign_ins_does_not_keep_the_signed_in_owner_from_changing_password(
    portal: Portal, ivanov: Session
) -> None:
    for guess in range(60):
        with pytest.raises((SignInFailed, Throttled)):
            sign_in(portal.ctx, IVANOV, f"догадка {guess}", ip=f"10.0.0.{guess % 6}",
                    current_session=None)  # fmt: skip

    assert change(portal, ivanov)


def test_an_empty_current_password_is_asked_for_without_checking_anything(
    portal: Portal, ivanov: Session
) -> None:
    checks = portal.hasher.verify_calls

    with pytest.raises(InvalidValue) as refused:
        change(portal, ivanov, current="")

    assert refused.value.field == "current_password"
    assert portal.hasher.verify_calls == checks


@pytest.mark.parametrize(
    ("new", "confirmation", "reason"),
    [
        ("qwerty123", None, "распространён"),
        ("ивановы живут тут", None, "фамилию"),
        ("100234 мой номер", None, "номер"),
        ("короткий", "другой пароль", "не совпадают"),
        ("семь123", None, "не короче 8"),
    ],
)
def test_a_new_password_against_the_policy_is_refused_and_nothing_changes(
    portal: Portal, ivanov: Session, new: str, confirmation: str | None, reason: str
) -> None:
    with pytest.raises(PasswordRejected) as refused:
        change(portal, ivanov, new=new, confirmation=confirmation)

    assert reason in refused.value.message_ru
    assert signs_in(portal, PASSWORD)
    assert ivanov.id_hash in portal.store.sessions


def test_a_session_signed_in_to_nothing_changes_no_password(portal: Portal) -> None:
    pending = current_session(portal.ctx, portal.first_visit(PETROVA))

    for session in (None, pending):
        with pytest.raises(NotFound):
            change(portal, session)
