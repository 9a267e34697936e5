"""First visit (F2), the registration form (F3), e-mail confirmation (F4), the limit of
accounts per e-mail (F6)."""

from __future__ import annotations

from typing import Any

import pytest

from access_fixtures import (
    BASE_URL,
    IP,
    IVANOV,
    PASSWORD,
    PEPPER,
    PETROVA,
    REGISTRATION_LINK,
    SEMENOV,
    SIDOROV,
    USER_AGENT,
    Portal,
    a_portal,
)
from lk_core.access.errors import (
    AlreadyRegistered,
    FirstVisitFailed,
    PasswordRejected,
    RegistrationSessionExpired,
    TokenInvalid,
    TooManyAccountsForEmail,
)
from lk_core.access.first_visit import confirm_registration_link, first_visit, submit_registration
from lk_core.access.one_time_secrets import SecretPurpose, hash_secret
from lk_core.access.registration import ConsentKind, RegistrationStatus
from lk_core.access.sessions import session_id_hash
from lk_core.access.sign_in import current_session, sign_in
from lk_core.kernel.errors import DomainError
from lk_core.kernel.policies import Policies, RegistrationPolicy
from lk_web.pages import form_errors


@pytest.fixture
def portal() -> Portal:
    return a_portal()


def submit(portal: Portal, raw: str | None, number: str = IVANOV, **changes: Any) -> None:
    form = portal.form(number, **changes)
    submit_registration(portal.ctx, raw, form, ip=IP, user_agent=USER_AGENT)


def confirm(portal: Portal, token: str, current: str | None = None) -> str:
    return confirm_registration_link(portal.ctx, token, ip=IP, current_session=current)


# --- F2: first visit --------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["Семёнов", "семенов", "СЕМЁНОВ", "  сЕмЕнОв "])
def test_first_visit_with_the_right_surname_in_any_case_and_with_е_for_ё_opens_registration(
    portal: Portal, typed: str
) -> None:
    raw = first_visit(portal.ctx, SEMENOV, typed, ip=IP, current_session=None)

    session = portal.store.sessions[session_id_hash(raw)]
    assert session.pending_account_key == SEMENOV
    assert not session.is_signed_in


def test_a_wrong_surname_and_an_unknown_account_get_the_same_answer(portal: Portal) -> None:
    with pytest.raises(FirstVisitFailed) as wrong_surname:
        first_visit(portal.ctx, SEMENOV, "Иванов", ip=IP, current_session=None)
    with pytest.raises(FirstVisitFailed) as unknown_account:
        first_visit(portal.ctx, "999999", "Семёнов", ip=IP, current_session=None)
    with pytest.raises(FirstVisitFailed) as empty_surname:
        first_visit(portal.ctx, SEMENOV, "  ", ip=IP, current_session=None)

    messages = {e.value.message_ru for e in (wrong_surname, unknown_account, empty_surname)}
    assert len(messages) == 1
    assert portal.sessions() == []


def test_a_confirmed_registration_is_told_it_is_already_registered(portal: Portal) -> None:
    portal.register(SEMENOV)

    with pytest.raises(AlreadyRegistered):
        first_visit(portal.ctx, SEMENOV, "Семенов", ip=IP, current_session=None)


def test_a_pending_registration_may_be_started_again(portal: Portal) -> None:
    portal.start_registration(SEMENOV)

    assert portal.first_visit(SEMENOV)


# --- F3: the registration form ----------------------------------------------------------

REFUSALS = [
    pytest.param({"surname": "Петров"}, "surname", "Фамилия", id="another surname"),
    pytest.param({"email": "ivanov.mail.ru"}, "email", "электронной почты", id="bad e-mail"),
    pytest.param({"consent": False}, "consent", "согласия", id="no consent"),
    pytest.param(
        {"password": PASSWORD, "confirmation": PASSWORD + "!"},
        "password",
        "не совпадают",
        id="confirmation differs",
    ),
    pytest.param({"password": "коротко"}, "password", "не короче 8", id="short"),
    pytest.param({"password": "Qwerty123"}, "password", "распространён", id="common"),
    pytest.param({"password": "мой счёт 100234!"}, "password", "номер", id="account number"),
    pytest.param({"password": "ИвАнОв навсегда"}, "password", "фамилию", id="surname"),
    pytest.param(
        {"password": "ооо «ук тверской дом» 2026"}, "password", "компании", id="company name"
    ),
]


@pytest.mark.parametrize(("changes", "field", "says"), REFUSALS)
def test_the_registration_form_refuses_a_bad_field_and_says_which(
    portal: Portal, changes: dict[str, Any], field: str, says: str
) -> None:
    raw = portal.first_visit(IVANOV)

    with pytest.raises(DomainError) as refused:
        submit(portal, raw, IVANOV, **changes)

    errors = form_errors(refused.value)
    assert list(errors) == [field]
    assert says in errors[field]
    assert portal.store.registrations == {}
    assert portal.store.consents == {}
    assert portal.messages() == []


def test_a_password_at_the_configured_length_limits_is_accepted(portal: Portal) -> None:
    raw = portal.first_visit(IVANOV)

    submit(portal, raw, password="ёжик в тумане " * 9 + "ой")  # 128 characters

    with pytest.raises(PasswordRejected, match="не длиннее 128"):
        submit(portal, portal.first_visit(IVANOV), password="ёжик в тумане " * 9 + "ой!")


def test_consent_is_recorded_with_its_version_time_ip_and_user_agent(portal: Portal) -> None:
    raw = portal.first_visit(IVANOV)
    portal.clock.advance(minutes=3)

    submit(portal, raw, email="Ivanov@Mail.RU")

    [consent] = portal.store.consents.values()
    assert consent.account_key == IVANOV
    assert consent.kind is ConsentKind.PERSONAL_DATA
    assert consent.given
    assert consent.text_version == portal.ctx.consent_version
    assert consent.at == portal.clock.now()
    assert (consent.ip, consent.user_agent) == (IP, USER_AGENT)
    assert consent.address == "Ivanov@mail.ru"


def test_the_form_needs_a_first_visit_in_this_browser(portal: Portal) -> None:
    with pytest.raises(RegistrationSessionExpired):
        submit(portal, None)
    with pytest.raises(RegistrationSessionExpired):
        submit(portal, "a-session-id-nobody-issued")
    raw = portal.first_visit(IVANOV)
    portal.clock.advance(minutes=31)
    with pytest.raises(RegistrationSessionExpired):
        submit(portal, raw)


# --- F6: accounts per e-mail ------------------------------------------------------------


@pytest.fixture
def two_per_email() -> Portal:
    return a_portal(policies=Policies(registration=RegistrationPolicy(accounts_per_email=2)))


def test_an_email_holds_no_more_accounts_than_the_policy_allows(two_per_email: Portal) -> None:
    portal = two_per_email
    portal.register(IVANOV, email="family@mail.ru")
    portal.start_registration(SEMENOV, email="Family@MAIL.ru")

    raw = portal.first_visit(PETROVA)
    with pytest.raises(TooManyAccountsForEmail) as refused:
        submit(portal, raw, PETROVA, email="family@mail.ru")

    assert "не более 2 " in refused.value.message_ru
    assert PETROVA not in portal.store.registrations
    submit(portal, raw, PETROVA, email="petrova@mail.ru")


def test_the_default_limit_is_ten_accounts_per_email() -> None:
    assert RegistrationPolicy().accounts_per_email == 10
    assert "не более 10 " in TooManyAccountsForEmail(10).message_ru


def test_registering_a_pending_account_again_replaces_the_pending_registration(
    two_per_email: Portal,
) -> None:
    portal = two_per_email
    portal.start_registration(IVANOV, email="first@mail.ru")
    portal.start_registration(SEMENOV, email="first@mail.ru")

    portal.start_registration(IVANOV, email="first@mail.ru", password="другой длинный пароль")
    portal.start_registration(SEMENOV, email="second@mail.ru")

    assert portal.store.registrations[IVANOV].email.address == "first@mail.ru"
    assert portal.store.registrations[SEMENOV].email.address == "second@mail.ru"
    assert len(portal.store.registrations) == 2
    with portal.uow_factory() as uow:
        assert uow.registrations.count_with_email("first@mail.ru") == 1


def test_a_link_sent_for_a_replaced_registration_no_longer_confirms(portal: Portal) -> None:
    # Number and surname are public: someone else starts a registration first…
    portal.start_registration(SEMENOV, email="stranger@mail.ru")
    strangers_link = portal.last_token(REGISTRATION_LINK)
    # …then the resident registers the account with their own e-mail and password.
    portal.start_registration(SEMENOV, email="semenov@mail.ru")

    with pytest.raises(TokenInvalid):
        confirm(portal, strangers_link)


# --- F4: e-mail confirmation ------------------------------------------------------------


def test_the_emailed_link_confirms_the_registration_and_signs_in(portal: Portal) -> None:
    raw = portal.start_registration(SEMENOV, email="semenov@mail.ru")
    [message] = portal.emails_to("semenov@mail.ru")
    assert message.email is not None
    assert f"{BASE_URL}/register/confirm/" in message.email.text
    assert PASSWORD not in message.email.text

    signed_in = confirm(portal, portal.last_token(REGISTRATION_LINK), current=raw)

    assert signed_in != raw
    assert session_id_hash(raw) not in portal.store.sessions
    session = current_session(portal.ctx, signed_in)
    assert session is not None
    assert session.registration_key == SEMENOV
    assert portal.store.registrations[SEMENOV].status is RegistrationStatus.CONFIRMED
    assert portal.account(SEMENOV).email is not None
    assert sign_in(portal.ctx, SEMENOV, PASSWORD, ip=IP, current_session=None)


def test_a_link_followed_twice_says_it_was_used(portal: Portal) -> None:
    portal.start_registration(SEMENOV)
    token = portal.last_token(REGISTRATION_LINK)
    confirm(portal, token)

    with pytest.raises(TokenInvalid) as second:
        confirm(portal, token)

    assert second.value.reason == "used"
    assert "уже использован" in second.value.message_ru


def test_a_link_older_than_a_day_says_it_expired(portal: Portal) -> None:
    portal.start_registration(SEMENOV)
    portal.clock.advance(hours=24)

    with pytest.raises(TokenInvalid) as late:
        confirm(portal, portal.last_token(REGISTRATION_LINK))

    assert late.value.reason == "expired"
    assert "истёк" in late.value.message_ru
    assert portal.store.registrations[SEMENOV].status is RegistrationStatus.PENDING


def test_a_link_a_minute_before_a_day_is_out_still_works(portal: Portal) -> None:
    portal.start_registration(SEMENOV)
    portal.clock.advance(hours=23, minutes=59)

    assert confirm(portal, portal.last_token(REGISTRATION_LINK))


def test_a_made_up_token_is_invalid(portal: Portal) -> None:
    portal.start_registration(SEMENOV)

    with pytest.raises(TokenInvalid) as made_up:
        confirm(portal, "x" * 43)

    assert made_up.value.reason == "unknown"
    assert portal.sessions() != []
    assert all(not s.is_signed_in for s in portal.sessions())


def test_only_the_keyed_hash_of_a_link_token_is_stored(portal: Portal) -> None:
    portal.start_registration(SEMENOV)
    token = portal.last_token(REGISTRATION_LINK)

    [secret] = portal.store.secrets.values()
    assert secret.purpose is SecretPurpose.REGISTRATION
    assert secret.subject == SEMENOV
    assert secret.secret_hash == hash_secret(token, PEPPER)
    assert list(portal.store.secrets) == [secret.secret_hash]
    assert token not in repr(secret) + secret.secret_hash + secret.payload
    assert len(token) >= 43  # at least 128 bits; here 256


def test_confirming_keeps_a_phone_and_email_already_on_file(portal: Portal) -> None:
    raw = portal.first_visit(SIDOROV)
    submit(portal, raw, SIDOROV, email="sidorov@mail.ru")

    confirm(portal, portal.last_token(REGISTRATION_LINK))

    account = portal.account(SIDOROV)
    assert str(account.phone) == "+7 900 111-22-33"
    assert str(account.email) == "sidorov@mail.ru"
