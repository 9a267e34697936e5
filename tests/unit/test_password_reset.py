"""Forgotten password (F7): the same answer for any pair, a one-time link that expires in an
hour, every session ended, a notice of the change, no automatic sign-in."""

from __future__ import annotations

import pytest

from access_fixtures import (
    BASE_URL,
    IP,
    IVANOV,
    NEW_PASSWORD,
    OTHER_IP,
    PASSWORD,
    REGISTRATION_LINK,
    RESET_LINK,
    SEMENOV,
    Portal,
    a_portal,
)
from lk_core.access.audit import AuditKind
from lk_core.access.errors import PasswordRejected, SignInFailed, TokenInvalid
from lk_core.access.password_reset import (
    request_password_reset,
    reset_link_is_usable,
    reset_password,
)
from lk_core.access.sign_in import current_session, sign_in
from lk_core.access.throttling import Throttled

EMAIL = "ivanov@mail.ru"


@pytest.fixture
def portal() -> Portal:
    portal = a_portal()
    portal.register(IVANOV, email=EMAIL)
    return portal


def reset_emails(portal: Portal) -> list[str]:
    return [
        m.email.text
        for m in portal.messages()
        if m.email is not None and "/password/reset/" in m.email.text
    ]


def requested_link(portal: Portal) -> str:
    request_password_reset(portal.ctx, IVANOV, EMAIL, ip=IP)
    return portal.last_token(RESET_LINK)


def reset(portal: Portal, token: str, password: str = NEW_PASSWORD) -> None:
    reset_password(portal.ctx, token, password, password, ip=IP)


def signs_in(portal: Portal, password: str) -> bool:
    try:
        sign_in(portal.ctx, IVANOV, password, ip=IP, current_session=None)
    except SignInFailed:
        return False
    return True


def test_a_matching_pair_queues_one_reset_email_to_the_registration_address(
    portal: Portal,
) -> None:
    assert request_password_reset(portal.ctx, "100234-А", "IVANOV@mail.ru", ip=IP) is None

    [text] = reset_emails(portal)
    [message] = [m for m in portal.messages() if m.email and m.email.text == text]
    assert message.recipient == EMAIL
    assert f"{BASE_URL}/password/reset/" in text
    assert PASSWORD not in text


@pytest.mark.parametrize(
    ("number", "email"),
    [
        pytest.param(IVANOV, "someone.else@mail.ru", id="another e-mail"),
        pytest.param("999999", EMAIL, id="unknown account"),
        pytest.param(SEMENOV, EMAIL, id="unregistered account"),
        pytest.param(IVANOV, "не адрес", id="not an e-mail"),
        pytest.param("не номер", EMAIL, id="not a number"),
    ],
)
def test_a_pair_that_does_not_match_queues_nothing_and_answers_the_same(
    portal: Portal, number: str, email: str
) -> None:
    before = portal.messages()

    assert request_password_reset(portal.ctx, number, email, ip=IP) is None

    assert portal.messages() == before


def test_a_pending_registration_gets_no_reset_link(portal: Portal) -> None:
    portal.start_registration(SEMENOV, email="semenov@mail.ru")

    request_password_reset(portal.ctx, SEMENOV, "semenov@mail.ru", ip=IP)

    assert reset_emails(portal) == []


def test_the_link_sets_a_new_password_once(portal: Portal) -> None:
    token = requested_link(portal)
    assert reset_link_is_usable(portal.ctx, token)

    reset(portal, token)

    assert not reset_link_is_usable(portal.ctx, token)
    with pytest.raises(TokenInvalid):
        reset(portal, token, "третий пароль совсем другой")
    assert signs_in(portal, NEW_PASSWORD)


def test_the_old_password_no_longer_signs_in(portal: Portal) -> None:
    reset(portal, requested_link(portal))

    assert not signs_in(portal, PASSWORD)
    assert signs_in(portal, NEW_PASSWORD)


def test_a_link_older_than_an_hour_has_expired(portal: Portal) -> None:
    token = requested_link(portal)
    portal.clock.advance(minutes=59)
    assert reset_link_is_usable(portal.ctx, token)
    portal.clock.advance(minutes=1)

    assert not reset_link_is_usable(portal.ctx, token)
    with pytest.raises(TokenInvalid):
        reset(portal, token)
    assert signs_in(portal, PASSWORD)


def test_a_made_up_or_other_purpose_token_resets_nothing(portal: Portal) -> None:
    portal.start_registration(SEMENOV)
    registration_token = portal.last_token(REGISTRATION_LINK)

    for token in ["x" * 43, registration_token]:
        assert not reset_link_is_usable(portal.ctx, token)
        with pytest.raises(TokenInvalid):
            reset(portal, token)

    assert signs_in(portal, PASSWORD)


def test_a_weak_new_password_is_refused_and_the_link_stays_usable(portal: Portal) -> None:
    token = requested_link(portal)

    with pytest.raises(PasswordRejected):
        reset(portal, token, "иванов и компания")

    assert reset_link_is_usable(portal.ctx, token)
    assert signs_in(portal, PASSWORD)


def test_a_reset_ends_every_session_of_that_registration_and_opens_none(
    portal: Portal,
) -> None:
    phone = sign_in(portal.ctx, IVANOV, PASSWORD, ip=IP, current_session=None)
    laptop = sign_in(portal.ctx, IVANOV, PASSWORD, ip=IP, current_session=None)
    someone_elses = portal.register(SEMENOV)

    reset(portal, requested_link(portal))

    assert current_session(portal.ctx, phone) is None
    assert current_session(portal.ctx, laptop) is None
    assert current_session(portal.ctx, someone_elses) is not None
    assert [s.registration_key for s in portal.sessions()] == [SEMENOV]


def test_a_notice_of_the_change_goes_to_the_registration_email(portal: Portal) -> None:
    portal.clock.advance(hours=3)  # 12:00 UTC is 15:00 in Moscow

    reset(portal, requested_link(portal))

    [notice] = [m for m in portal.emails_to(EMAIL) if m.email and "изменён" in m.email.subject]
    assert notice.email is not None
    assert "Пароль личного кабинета" in notice.email.text
    assert "100234-А" in notice.email.text
    assert "изменён 02.03.2026 15:00" in notice.email.text
    assert NEW_PASSWORD not in notice.email.text
    assert PASSWORD not in notice.email.text
    assert AuditKind.PASSWORD_RESET in [e.kind for e in portal.audit_events()]


def test_reset_requests_for_one_account_and_email_are_throttled(portal: Portal) -> None:
    for _ in range(5):
        request_password_reset(portal.ctx, IVANOV, EMAIL, ip=IP)

    with pytest.raises(Throttled):
        request_password_reset(portal.ctx, IVANOV, EMAIL.upper(), ip=IP)

    assert len(reset_emails(portal)) == 5  # the owner's mailbox is not flooded
    portal.clock.advance(hours=1)
    assert requested_link(portal)


def test_requests_with_other_emails_do_not_use_up_the_owners_reset_requests(
    portal: Portal,
) -> None:
    for attacker in range(5):
        request_password_reset(
            portal.ctx, IVANOV, f"guess{attacker}@mail.ru", ip=f"10.0.0.{attacker}"
        )
    for _ in range(5):
        request_password_reset(portal.ctx, IVANOV, "someone.else@mail.ru", ip=OTHER_IP)

    request_password_reset(portal.ctx, IVANOV, EMAIL, ip=IP)

    assert len(reset_emails(portal)) == 1
    reset(portal, portal.last_token(RESET_LINK))
    assert signs_in(portal, NEW_PASSWORD)


def test_a_link_mailed_to_an_earlier_registration_does_not_reset_the_next_one(
    portal: Portal,
) -> None:
    token = requested_link(portal)
    with portal.uow_factory() as uow:  # the registration removed, its secrets left behind
        uow.registrations.delete(IVANOV)
        uow.commit()
    portal.clock.advance(minutes=5)
    portal.register(IVANOV, email=EMAIL)

    assert not reset_link_is_usable(portal.ctx, token)
    with pytest.raises(TokenInvalid):
        reset(portal, token)
    assert signs_in(portal, PASSWORD)
