"""Registrations, consents, and the limit of accounts per e-mail address."""

import datetime as dt

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lk_core.access.errors import TooManyAccountsForEmail
from lk_core.access.registration import (
    ConfirmationMethod,
    Consent,
    ConsentKind,
    Registration,
    RegistrationStatus,
    ensure_email_has_room,
)
from lk_core.accounts.contacts import Email, Phone
from lk_core.kernel.policies import RegistrationPolicy

NOW = dt.datetime(2026, 10, 20, 9, 30, tzinfo=dt.UTC)


def a_registration(method=ConfirmationMethod.EMAIL, **changes) -> Registration:
    return Registration(
        account_key=changes.pop("account_key", "100234"),
        email=Email.parse("fedorov@mail.ru"),
        password_hash="$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
        method=method,
        created_at=NOW,
        **changes,
    )


def test_new_registration_waits_for_confirmation():
    registration = a_registration()
    assert registration.status is RegistrationStatus.PENDING
    assert not registration.is_confirmed
    assert registration.confirmed_at is None


def test_confirmed_registration_records_when():
    registration = a_registration()
    registration.confirm(NOW + dt.timedelta(minutes=5))
    assert registration.is_confirmed
    assert registration.confirmed_at == NOW + dt.timedelta(minutes=5)


def test_sms_registration_keeps_the_phone_it_was_confirmed_with():
    registration = a_registration(ConfirmationMethod.SMS, phone=Phone.parse("89161234567"))
    assert registration.method is ConfirmationMethod.SMS
    assert registration.phone == Phone("+79161234567")


def test_changing_the_password_replaces_only_its_hash():
    registration = a_registration()
    registration.change_password_hash("$argon2id$new")
    assert registration.password_hash == "$argon2id$new"
    assert registration.email == Email("fedorov@mail.ru")


def test_account_may_be_registered_while_the_email_has_fewer_than_ten_accounts():
    ensure_email_has_room(0, RegistrationPolicy())
    ensure_email_has_room(9, RegistrationPolicy())


def test_eleventh_account_for_one_email_is_refused():
    with pytest.raises(TooManyAccountsForEmail) as refused:
        ensure_email_has_room(10, RegistrationPolicy())
    assert refused.value.limit == 10
    assert refused.value.message_ru == (
        "На один адрес электронной почты можно зарегистрировать не более 10 лицевых счетов"
    )


@given(st.integers(0, 50), st.integers(1, 30))
def test_email_has_room_exactly_while_its_accounts_are_below_the_limit(registered, limit):
    policy = RegistrationPolicy(accounts_per_email=limit)
    if registered < limit:
        ensure_email_has_room(registered, policy)
    else:
        with pytest.raises(TooManyAccountsForEmail) as refused:
            ensure_email_has_room(registered, policy)
        assert refused.value.limit == limit


def test_registration_policy_defaults_follow_the_security_rules():
    policy = RegistrationPolicy()
    assert policy.accounts_per_email == 10
    assert policy.email_link_lifetime == dt.timedelta(hours=24)
    assert policy.reset_link_lifetime == dt.timedelta(hours=1)
    assert policy.sms_code_lifetime == dt.timedelta(minutes=10)
    assert policy.sms_code_attempts == 5


def test_consent_is_a_frozen_record_of_what_was_agreed_when_and_from_where():
    consent = Consent(
        "100234",
        ConsentKind.PERSONAL_DATA,
        "2026-09",
        given=True,
        at=NOW,
        ip="203.0.113.7",
        user_agent="Firefox",
    )
    assert consent == Consent(
        "100234", ConsentKind.PERSONAL_DATA, "2026-09", True, NOW, "203.0.113.7", "Firefox"
    )
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        consent.given = False  # type: ignore[misc]


def test_each_consent_is_a_separate_kind():
    assert {kind.value for kind in ConsentKind} == {
        "personal_data",
        "sms_informing",
        "email_informing",
        "email_receipt",
    }
