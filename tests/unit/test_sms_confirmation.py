"""Registration confirmed by SMS (F5): a 6-digit code, 5 tries, resends replace and are
throttled, «Сохранить» signs in and keeps the phone."""

from __future__ import annotations

import pytest

from access_fixtures import IP, PASSWORD, PEPPER, PHONE, SEMENOV, SIDOROV, Portal, a_portal
from lk_core.access.errors import PhoneNotConfirmed, RegistrationSessionExpired, TokenInvalid
from lk_core.access.one_time_secrets import SecretPurpose, hash_secret
from lk_core.access.registration import ConfirmationMethod, RegistrationStatus
from lk_core.access.sessions import session_id_hash
from lk_core.access.sign_in import current_session, sign_in
from lk_core.access.sms_confirmation import (
    check_sms_code,
    complete_sms_registration,
    send_sms_code,
    sms_step,
)
from lk_core.access.throttling import Throttled
from lk_core.kernel.errors import InvalidValue


@pytest.fixture
def portal() -> Portal:
    return a_portal()


@pytest.fixture
def registering(portal: Portal) -> str:
    """The pending session of a resident who chose confirmation by SMS."""
    return portal.start_registration(SEMENOV, method=ConfirmationMethod.SMS)


def send(portal: Portal, raw: str, phone: str = PHONE) -> None:
    send_sms_code(portal.ctx, raw, phone, ip=IP)


def check(portal: Portal, raw: str, code: str) -> None:
    check_sms_code(portal.ctx, raw, code, ip=IP)


def wrong(code: str) -> str:
    """A six-digit code that is not `code`."""
    return f"{(int(code) + 1) % 10**6:06d}"


def test_sending_a_code_texts_six_random_digits_to_the_phone(
    portal: Portal, registering: str
) -> None:
    send(portal, registering, "8 (912) 345-67-89")

    [message] = portal.messages()
    assert message.sms is not None
    assert message.sms.to == "+79123456789"
    code = portal.last_sms_code()
    assert len(code) == 6
    assert code.isdigit()
    assert sms_step(portal.ctx, registering).sent_to is not None


def test_only_the_keyed_hash_of_a_code_is_stored(portal: Portal, registering: str) -> None:
    send(portal, registering)
    code = portal.last_sms_code()

    [secret] = portal.store.secrets.values()
    assert secret.purpose is SecretPurpose.SMS_CONFIRMATION
    assert secret.secret_hash == hash_secret(code, PEPPER)
    assert code not in repr(secret) + secret.secret_hash + secret.payload


def test_only_russian_numbers_are_accepted(portal: Portal, registering: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        send(portal, registering, "+1 202 555-01-23")

    assert refused.value.field == "phone"
    assert portal.messages() == []


def test_the_right_code_confirms_the_phone(portal: Portal, registering: str) -> None:
    send(portal, registering)

    check(portal, registering, portal.last_sms_code())

    step = sms_step(portal.ctx, registering)
    assert str(step.confirmed) == "+7 912 345-67-89"


def test_a_wrong_code_costs_one_attempt(portal: Portal, registering: str) -> None:
    send(portal, registering)

    with pytest.raises(TokenInvalid) as refused:
        check(portal, registering, wrong(portal.last_sms_code()))

    assert refused.value.reason == "mismatch"
    [secret] = portal.store.secrets.values()
    assert secret.attempts_left == 4
    assert sms_step(portal.ctx, registering).confirmed is None


def test_after_five_wrong_codes_even_the_right_one_is_refused(
    portal: Portal, registering: str
) -> None:
    send(portal, registering)
    code = portal.last_sms_code()
    for _ in range(5):
        with pytest.raises(TokenInvalid):
            check(portal, registering, wrong(code))

    with pytest.raises(TokenInvalid) as spent:
        check(portal, registering, code)

    assert spent.value.reason == "attempts"
    assert sms_step(portal.ctx, registering).confirmed is None


def test_an_sms_code_cannot_be_guessed_within_its_attempt_limit(
    portal: Portal, registering: str
) -> None:
    send(portal, registering)
    code = portal.last_sms_code()
    guesses = [*[f"{n:06d}" for n in range(26) if f"{n:06d}" != code][:25], code]

    compared = 0
    for guess in guesses:
        try:
            check(portal, registering, guess)
        except TokenInvalid as error:
            compared += error.reason == "mismatch"
        else:
            pytest.fail("a guess got through")

    # Only five guesses are ever compared with a code from a million: 5 / 10**6.
    assert compared == portal.ctx.policies.registration.sms_code_attempts == 5
    assert compared / 10 ** len(code) <= 5e-6


def test_a_resend_replaces_the_old_code(portal: Portal, registering: str) -> None:
    send(portal, registering)
    old = portal.last_sms_code()
    portal.clock.advance(seconds=30)
    send(portal, registering)
    new = portal.last_sms_code()

    if old != new:
        with pytest.raises(TokenInvalid):
            check(portal, registering, old)
    check(portal, registering, new)

    assert sms_step(portal.ctx, registering).confirmed is not None
    assert [s.attempts_left for s in portal.store.secrets.values() if s.used_at is None] == [0]


def test_a_fourth_send_to_one_phone_within_ten_minutes_is_throttled(
    portal: Portal, registering: str
) -> None:
    for _ in range(3):
        send(portal, registering)
        portal.clock.advance(minutes=2)

    with pytest.raises(Throttled):
        send(portal, registering)

    assert len(portal.messages()) == 3
    portal.clock.advance(minutes=10)
    send(portal, registering)


def test_a_phone_gets_at_most_ten_codes_a_day(portal: Portal, registering: str) -> None:
    for _ in range(10):
        send(portal, registering)
        portal.clock.advance(minutes=10)
        registering = portal.first_visit(SEMENOV)

    with pytest.raises(Throttled):
        send(portal, registering)

    portal.clock.advance(hours=24)
    send(portal, portal.first_visit(SEMENOV))


def test_a_resident_busy_with_the_sms_step_is_not_timed_out(
    portal: Portal, registering: str
) -> None:
    for _ in range(4):  # thirty-six minutes, never idle for more than nine
        send(portal, registering)
        portal.clock.advance(minutes=9)
        assert sms_step(portal.ctx, registering).sent_to is not None


def test_a_code_expires_after_ten_minutes(portal: Portal, registering: str) -> None:
    send(portal, registering)
    portal.clock.advance(minutes=10)

    with pytest.raises(TokenInvalid) as late:
        check(portal, registering, portal.last_sms_code())

    assert late.value.reason == "expired"


def test_completing_without_a_confirmed_phone_fails(portal: Portal, registering: str) -> None:
    with pytest.raises(PhoneNotConfirmed):
        complete_sms_registration(portal.ctx, registering, ip=IP)
    send(portal, registering)
    with pytest.raises(PhoneNotConfirmed):
        complete_sms_registration(portal.ctx, registering, ip=IP)

    assert portal.store.registrations[SEMENOV].status is RegistrationStatus.PENDING


def test_completing_after_ok_signs_in_and_puts_the_phone_on_an_account_without_one(
    portal: Portal, registering: str
) -> None:
    send(portal, registering)
    check(portal, registering, portal.last_sms_code())

    raw = complete_sms_registration(portal.ctx, registering, ip=IP)

    assert raw != registering
    assert session_id_hash(registering) not in portal.store.sessions
    session = current_session(portal.ctx, raw)
    assert session is not None
    assert session.registration_key == SEMENOV
    registration = portal.store.registrations[SEMENOV]
    assert registration.status is RegistrationStatus.CONFIRMED
    assert str(registration.phone) == "+7 912 345-67-89"
    assert str(portal.account(SEMENOV).phone) == "+7 912 345-67-89"
    assert sign_in(portal.ctx, SEMENOV, PASSWORD, ip=IP, current_session=None)


def test_completing_keeps_a_phone_already_on_file(portal: Portal) -> None:
    raw = portal.start_registration(SIDOROV, method=ConfirmationMethod.SMS)
    send(portal, raw)
    check(portal, raw, portal.last_sms_code())

    complete_sms_registration(portal.ctx, raw, ip=IP)

    assert str(portal.account(SIDOROV).phone) == "+7 900 111-22-33"


def test_the_sms_steps_belong_to_a_registration_that_chose_sms(portal: Portal) -> None:
    by_email = portal.start_registration(SEMENOV)

    with pytest.raises(RegistrationSessionExpired):
        send(portal, by_email)
    assert portal.messages() != []
    assert all(m.sms is None for m in portal.messages())


def test_a_phone_confirmed_for_a_replaced_registration_does_not_complete_the_new_one(
    portal: Portal,
) -> None:
    # Number and surname are public: someone else confirms their own phone first…
    strangers = portal.start_registration(SEMENOV, method=ConfirmationMethod.SMS)
    send(portal, strangers, "+7 999 000-00-01")
    check(portal, strangers, portal.last_sms_code())
    # …then the resident registers the account with their own e-mail and password.
    residents = portal.start_registration(
        SEMENOV, method=ConfirmationMethod.SMS, email="semenov@mail.ru"
    )

    assert sms_step(portal.ctx, residents).confirmed is None
    with pytest.raises((PhoneNotConfirmed, RegistrationSessionExpired)):
        complete_sms_registration(portal.ctx, strangers, ip=IP)
