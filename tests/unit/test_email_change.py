"""A new e-mail (F19): asked for with the current password, confirmed by a one-time link to
the new address that expires in 24 h; only then does it take effect, and the old address is
told with the new one masked. The accounts-per-e-mail limit holds for the new address."""

from __future__ import annotations

import attrs
import pytest

from access_fixtures import (
    BASE_URL,
    IP,
    IVANOV,
    PASSWORD,
    PETROVA,
    RESET_LINK,
    SEMENOV,
    SIDOROV,
    Portal,
    a_portal,
    some_accounts,
)
from lk_core.access.audit import AuditKind
from lk_core.access.email_change import (
    EmailChanged,
    confirm_email_change,
    pending_email_change,
    request_email_change,
)
from lk_core.access.errors import CurrentPasswordWrong, TokenInvalid, TooManyAccountsForEmail
from lk_core.access.password_reset import request_password_reset, reset_link_is_usable
from lk_core.access.sessions import Session
from lk_core.access.throttling import Throttled
from lk_core.accounts.contacts import Email
from lk_core.kernel.errors import InvalidValue
from lk_core.kernel.policies import Policies, RegistrationPolicy
from lk_core.messaging.notices import masked_email
from personal_data_fixtures import (
    EMAIL_CHANGE_LINK,
    IVANOV_EMAIL,
    extra_accounts,
    link_by_surname,
    signed_in,
)

NEW_EMAIL = "Novikov.Ivan@Yandex.ru"


@pytest.fixture
def portal() -> Portal:
    portal = a_portal(accounts=[*some_accounts(), *extra_accounts()])
    portal.register(IVANOV)
    return portal


@pytest.fixture
def ivanov(portal: Portal) -> Session:
    return signed_in(portal)


def ask(portal: Portal, session: Session, email: str = NEW_EMAIL, password: str = PASSWORD) -> str:
    """Request the change; the token of the link mailed to the new address."""
    request_email_change(portal.ctx, session, email, password, ip=IP)
    return portal.last_token(EMAIL_CHANGE_LINK)


def confirm(portal: Portal, token: str) -> EmailChanged:
    return confirm_email_change(portal.ctx, token, ip=IP)


def registration_email(portal: Portal) -> str:
    with portal.uow_factory() as uow:
        registration = uow.registrations.get(IVANOV)
    assert registration is not None
    return registration.email.address


def test_the_link_goes_to_the_new_address_and_nothing_changes_until_it_is_followed(
    portal: Portal, ivanov: Session
) -> None:
    requested = request_email_change(portal.ctx, ivanov, NEW_EMAIL, PASSWORD, ip=IP)

    assert requested.new_email == "Novikov.Ivan@yandex.ru"
    [message] = portal.emails_to("Novikov.Ivan@yandex.ru")
    assert message.email is not None
    assert f"{BASE_URL}/personal/email/confirm/" in message.email.text
    assert "24 часа" in message.email.text
    assert registration_email(portal) == IVANOV_EMAIL
    assert pending_email_change(portal.ctx, IVANOV) == "Novikov.Ivan@yandex.ru"


def test_following_the_link_puts_the_new_address_in_place_of_the_old(
    portal: Portal, ivanov: Session
) -> None:
    changed = confirm(portal, ask(portal, ivanov))

    assert changed == EmailChanged(IVANOV, "N***@y***.ru")
    assert registration_email(portal) == "Novikov.Ivan@yandex.ru"
    assert pending_email_change(portal.ctx, IVANOV) is None


def test_the_old_address_is_told_with_the_new_one_masked(portal: Portal, ivanov: Session) -> None:
    confirm(portal, ask(portal, ivanov))

    [notice] = portal.emails_to(IVANOV_EMAIL)[:1]
    assert notice.email is not None
    assert "адрес изменён на N***@y***.ru" in notice.email.text
    assert "Novikov" not in notice.email.text
    assert "100234-А" in notice.email.text


def test_password_recovery_then_answers_to_the_new_address_only(
    portal: Portal, ivanov: Session
) -> None:
    confirm(portal, ask(portal, ivanov))

    request_password_reset(portal.ctx, IVANOV, IVANOV_EMAIL, ip=IP)
    assert not any(m.email and "/password/reset/" in m.email.text for m in portal.messages())
    request_password_reset(portal.ctx, IVANOV, "novikov.ivan@YANDEX.ru", ip=IP)
    [reset] = [m for m in portal.messages() if m.email and "/password/reset/" in m.email.text]
    assert reset.recipient == "Novikov.Ivan@yandex.ru"


def test_a_reset_link_mailed_to_the_old_address_stops_working(
    portal: Portal, ivanov: Session
) -> None:
    request_password_reset(portal.ctx, IVANOV, IVANOV_EMAIL, ip=IP)
    reset_token = portal.last_token(RESET_LINK)

    confirm(portal, ask(portal, ivanov))

    assert not reset_link_is_usable(portal.ctx, reset_token)


def test_the_accounts_contact_email_follows_when_it_was_the_old_address(
    portal: Portal, ivanov: Session
) -> None:
    assert str(portal.account(IVANOV).email) == IVANOV_EMAIL

    confirm(portal, ask(portal, ivanov))

    assert str(portal.account(IVANOV).email) == "Novikov.Ivan@yandex.ru"


def test_a_different_contact_email_of_the_account_is_kept(portal: Portal, ivanov: Session) -> None:
    with portal.uow_factory() as uow:
        account = uow.accounts.get(IVANOV)
        assert account is not None
        account.email = Email.parse("family@mail.ru")
        uow.accounts.save(account)
        uow.commit()

    confirm(portal, ask(portal, ivanov))

    assert str(portal.account(IVANOV).email) == "family@mail.ru"


def test_the_link_works_signed_out_and_only_once(portal: Portal, ivanov: Session) -> None:
    token = ask(portal, ivanov)
    portal.store.sessions.clear()

    confirm(portal, token)
    with pytest.raises(TokenInvalid) as again:
        confirm(portal, token)

    assert again.value.reason == "used"


def test_the_link_expires_after_24_hours(portal: Portal, ivanov: Session) -> None:
    early = ask(portal, ivanov)
    portal.clock.advance(hours=23, minutes=59)
    confirm(portal, early)
    late = ask(portal, ivanov, email="other.address@mail.ru")

    portal.clock.advance(hours=24)
    with pytest.raises(TokenInvalid) as expired:
        confirm(portal, late)

    assert expired.value.reason == "expired"
    assert registration_email(portal) == "Novikov.Ivan@yandex.ru"


def test_only_the_latest_requested_address_can_be_confirmed(
    portal: Portal, ivanov: Session
) -> None:
    first = ask(portal, ivanov)
    second = ask(portal, ivanov, email="second@mail.ru")

    with pytest.raises(TokenInvalid):
        confirm(portal, first)
    confirm(portal, second)

    assert registration_email(portal) == "second@mail.ru"


@pytest.mark.parametrize("token", ["made-up-token", ""])
def test_an_unknown_link_changes_nothing(portal: Portal, token: str) -> None:
    with pytest.raises(TokenInvalid) as refused:
        confirm(portal, token)

    assert refused.value.reason == "unknown"
    assert registration_email(portal) == IVANOV_EMAIL


def test_a_link_of_another_purpose_is_no_email_change_link(portal: Portal) -> None:
    portal.start_registration(SEMENOV)
    registration_token = portal.last_token(__import__("access_fixtures").REGISTRATION_LINK)

    with pytest.raises(TokenInvalid) as refused:
        confirm(portal, registration_token)

    assert refused.value.reason == "unknown"


def test_the_request_and_the_change_are_audited(portal: Portal, ivanov: Session) -> None:
    confirm(portal, ask(portal, ivanov))

    events = [e for e in portal.audit_events() if e.kind is AuditKind.EMAIL_CHANGED]
    assert [(e.account_key, dict(e.details)) for e in events] == [
        (IVANOV, {"stage": "requested"}),
        (IVANOV, {"stage": "confirmed"}),
    ]
    assert "Novikov" not in repr(portal.audit_events())


def test_a_wrong_current_password_sends_no_link(portal: Portal, ivanov: Session) -> None:
    with pytest.raises(CurrentPasswordWrong):
        request_email_change(portal.ctx, ivanov, NEW_EMAIL, "не тот пароль вовсе", ip=IP)

    assert portal.emails_to("Novikov.Ivan@yandex.ru") == []


def test_wrong_current_passwords_are_throttled_before_argon2_runs(
    portal: Portal, ivanov: Session
) -> None:
    for _ in range(10):
        with pytest.raises(CurrentPasswordWrong):
            request_email_change(portal.ctx, ivanov, NEW_EMAIL, "не тот пароль", ip=IP)
    checks = portal.hasher.verify_calls

    with pytest.raises(Throttled):
        request_email_change(portal.ctx, ivanov, NEW_EMAIL, PASSWORD, ip=IP)

    assert portal.hasher.verify_calls == checks


@pytest.mark.parametrize(
    ("email", "field"), [("не адрес", "email"), (IVANOV_EMAIL.upper(), "email")]
)
def test_a_malformed_or_unchanged_address_is_refused(
    portal: Portal, ivanov: Session, email: str, field: str
) -> None:
    with pytest.raises(InvalidValue) as refused:
        request_email_change(portal.ctx, ivanov, email, PASSWORD, ip=IP)

    assert refused.value.field == field
    assert not any(m.email and "/personal/email/" in m.email.text for m in portal.messages())


def test_the_new_address_must_have_room_for_the_own_and_linked_accounts() -> None:
    portal = a_portal(
        policies=Policies(registration=RegistrationPolicy(accounts_per_email=3)),
        accounts=[*some_accounts(), *extra_accounts()],
    )
    portal.register(IVANOV)
    portal.register(SEMENOV, email="family@mail.ru")
    link_by_surname(portal, signed_in(portal, SEMENOV), SIDOROV)
    ivanov = signed_in(portal)
    link_by_surname(portal, ivanov, PETROVA)

    request_email_change(portal.ctx, ivanov, "spare@mail.ru", PASSWORD, ip=IP)
    with pytest.raises(TooManyAccountsForEmail):
        request_email_change(portal.ctx, ivanov, "family@mail.ru", PASSWORD, ip=IP)


def test_an_address_filled_up_before_the_link_is_followed_is_refused_then(
    portal: Portal, ivanov: Session
) -> None:
    portal.ctx = attrs.evolve(
        portal.ctx, policies=Policies(registration=RegistrationPolicy(accounts_per_email=2))
    )
    token = ask(portal, ivanov, email="family@mail.ru")
    portal.register(SEMENOV, email="family@mail.ru")
    semenov = signed_in(portal, SEMENOV)
    link_by_surname(portal, semenov, PETROVA)

    with pytest.raises(TooManyAccountsForEmail):
        confirm(portal, token)

    assert registration_email(portal) == IVANOV_EMAIL


@pytest.mark.parametrize(
    ("address", "masked"),
    [
        ("novikov@yandex.ru", "n***@y***.ru"),
        ("a@b.mail.ru", "a***@b***.ru"),
        ("ivan@localhost", "i***@l***"),
    ],
)
def test_a_masked_address_shows_only_first_letters_and_the_zone(address: str, masked: str) -> None:
    assert masked_email(address) == masked
