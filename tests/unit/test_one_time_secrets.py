"""Single-use secrets: e-mail link tokens and SMS codes, stored only as a keyed hash."""

import datetime as dt
import re
import secrets

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lk_adapters.memory import InMemoryUnitOfWorkFactory
from lk_core.access.errors import TokenInvalid
from lk_core.access.one_time_secrets import (
    OneTimeSecret,
    SecretPurpose,
    hash_secret,
    issue_link_token,
    issue_sms_code,
)
from lk_core.access.redemption import redeem_stored

PEPPER = b"pepper-for-tests"
NOW = dt.datetime(2026, 10, 20, 9, 30, tzinfo=dt.UTC)
DAY = dt.timedelta(hours=24)
TEN_MINUTES = dt.timedelta(minutes=10)


def a_link(purpose=SecretPurpose.REGISTRATION) -> tuple[str, OneTimeSecret]:
    return issue_link_token(purpose, "100234", now=NOW, lifetime=DAY, pepper=PEPPER)


def an_sms_code(attempts=5) -> tuple[str, OneTimeSecret]:
    return issue_sms_code("100234", now=NOW, lifetime=TEN_MINUTES, attempts=attempts, pepper=PEPPER)


def a_wrong_code(raw: str) -> str:
    return f"{(int(raw) + 1) % 10**6:06d}"


def reason_for(redeem) -> str:
    with pytest.raises(TokenInvalid) as refused:
        redeem()
    return refused.value.reason


# --- what is issued and stored --------------------------------------------------------


def test_link_token_carries_at_least_128_bits_and_is_url_safe():
    raw, _ = a_link()
    assert len(raw) == len(secrets.token_urlsafe(32))
    assert len(raw) * 6 >= 128
    assert re.fullmatch(r"[A-Za-z0-9_-]+", raw)


def test_two_link_tokens_differ():
    assert a_link()[0] != a_link()[0]


def test_sms_codes_are_six_digits_leading_zeros_included():
    codes = [an_sms_code()[0] for _ in range(300)]
    assert all(re.fullmatch(r"[0-9]{6}", code) for code in codes)
    assert len(set(codes)) > 250


@pytest.mark.parametrize("issue", [a_link, an_sms_code])
def test_only_the_keyed_hash_of_the_secret_is_stored(issue):
    raw, stored = issue()
    assert stored.secret_hash != raw
    assert raw not in stored.secret_hash
    assert raw not in repr(stored)
    assert stored.secret_hash == hash_secret(raw, PEPPER)
    assert stored.secret_hash != hash_secret(raw, b"another pepper")


def test_link_token_is_stored_with_its_purpose_subject_lifetime_and_a_single_attempt():
    _, stored = issue_link_token(
        SecretPurpose.PASSWORD_RESET,
        "100234",
        now=NOW,
        lifetime=dt.timedelta(hours=1),
        pepper=PEPPER,
        payload="new@mail.ru",
    )
    assert stored.purpose is SecretPurpose.PASSWORD_RESET
    assert stored.subject == "100234"
    assert stored.issued_at == NOW
    assert stored.expires_at == NOW + dt.timedelta(hours=1)
    assert stored.attempts_left == 1
    assert stored.payload == "new@mail.ru"
    assert stored.used_at is None


def test_sms_code_is_stored_for_sms_confirmation_with_its_attempts():
    _, stored = an_sms_code(attempts=5)
    assert stored.purpose is SecretPurpose.SMS_CONFIRMATION
    assert stored.attempts_left == 5
    assert stored.expires_at == NOW + TEN_MINUTES


# --- redeeming ------------------------------------------------------------------------


@pytest.mark.parametrize("issue", [a_link, an_sms_code])
def test_secret_is_redeemed_once_and_not_again(issue):
    raw, stored = issue()
    stored.redeem(raw, stored.purpose, NOW + dt.timedelta(minutes=1), PEPPER)
    assert stored.used_at == NOW + dt.timedelta(minutes=1)
    assert not stored.is_usable(NOW + dt.timedelta(minutes=2))
    reason = reason_for(
        lambda: stored.redeem(raw, stored.purpose, NOW + dt.timedelta(minutes=2), PEPPER)
    )
    assert reason == "used"


@pytest.mark.parametrize("issue", [a_link, an_sms_code])
def test_secret_is_refused_from_the_moment_it_expires(issue):
    raw, stored = issue()
    assert stored.is_usable(stored.expires_at - dt.timedelta(microseconds=1))
    assert not stored.is_usable(stored.expires_at)
    with pytest.raises(TokenInvalid) as refused:
        stored.redeem(raw, stored.purpose, stored.expires_at, PEPPER)
    assert refused.value.reason == "expired"
    assert refused.value.message_ru == "Срок действия ссылки или кода истёк"
    assert stored.used_at is None


def test_secret_is_accepted_just_before_it_expires():
    raw, stored = a_link()
    stored.redeem(raw, stored.purpose, stored.expires_at - dt.timedelta(seconds=1), PEPPER)
    assert stored.used_at is not None


@given(st.sampled_from(SecretPurpose), st.sampled_from(SecretPurpose))
def test_secret_for_one_purpose_fails_for_every_other(issued_for, used_for):
    raw, stored = issue_link_token(issued_for, "100234", now=NOW, lifetime=DAY, pepper=PEPPER)
    if issued_for is used_for:
        stored.redeem(raw, used_for, NOW, PEPPER)
        assert stored.used_at == NOW
    else:
        with pytest.raises(TokenInvalid) as refused:
            stored.redeem(raw, used_for, NOW, PEPPER)
        assert refused.value.reason == "purpose"
        assert stored.used_at is None
        assert stored.attempts_left == 1


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 6), st.integers(0, 8))
def test_each_wrong_code_costs_an_attempt_and_after_all_are_spent_even_the_right_one_fails(
    attempts, wrong_tries
):
    raw, stored = an_sms_code(attempts=attempts)
    wrong = a_wrong_code(raw)
    for tried in range(1, wrong_tries + 1):
        reason = reason_for(lambda: stored.redeem(wrong, stored.purpose, NOW, PEPPER))
        if tried <= attempts:
            assert reason == "mismatch"
            assert stored.attempts_left == attempts - tried
        else:
            assert reason == "attempts"
            assert stored.attempts_left == 0
    if wrong_tries >= attempts:
        assert not stored.is_usable(NOW)
        assert reason_for(lambda: stored.redeem(raw, stored.purpose, NOW, PEPPER)) == "attempts"
        assert stored.used_at is None
    else:
        stored.redeem(raw, stored.purpose, NOW, PEPPER)
        assert stored.used_at == NOW


def test_wrong_code_is_told_in_russian():
    raw, stored = an_sms_code()
    with pytest.raises(TokenInvalid) as refused:
        stored.redeem(a_wrong_code(raw), stored.purpose, NOW, PEPPER)
    assert refused.value.message_ru == "Неверный код"


def test_spent_code_asks_for_a_new_one():
    raw, stored = an_sms_code(attempts=1)
    with pytest.raises(TokenInvalid):
        stored.redeem(a_wrong_code(raw), stored.purpose, NOW, PEPPER)
    with pytest.raises(TokenInvalid) as refused:
        stored.redeem(raw, stored.purpose, NOW, PEPPER)
    assert refused.value.message_ru == "Слишком много неверных попыток: запросите новый код"


def test_wrong_link_token_spends_the_link():
    raw, stored = a_link()
    assert reason_for(lambda: stored.redeem(raw + "x", stored.purpose, NOW, PEPPER)) == "mismatch"
    assert reason_for(lambda: stored.redeem(raw, stored.purpose, NOW, PEPPER)) == "attempts"


def test_code_hashed_with_another_pepper_is_not_accepted():
    raw, stored = an_sms_code()
    assert reason_for(lambda: stored.redeem(raw, stored.purpose, NOW, b"another")) == "mismatch"


@given(st.text(max_size=50), st.text(max_size=50))
def test_hash_is_a_function_of_the_secret_and_tells_different_secrets_apart(a, b):
    assert hash_secret(a, PEPPER) == hash_secret(a, PEPPER)
    assert (hash_secret(a, PEPPER) == hash_secret(b, PEPPER)) == (a == b)
    assert re.fullmatch(r"[0-9a-f]{64}", hash_secret(a, PEPPER))


# --- redeeming the stored secret --------------------------------------------------------


def stored_in_memory(secret: OneTimeSecret) -> InMemoryUnitOfWorkFactory:
    uow_factory = InMemoryUnitOfWorkFactory()
    with uow_factory() as uow:
        uow.secrets.add(secret)
        uow.commit()
    return uow_factory


def test_a_link_used_by_another_request_since_it_was_read_is_refused_as_used():
    raw, secret = a_link()
    uow_factory = stored_in_memory(secret)
    with uow_factory() as uow:
        stale = uow.secrets.find(secret.secret_hash)
        assert uow.secrets.consume(secret.secret_hash, secret.purpose, NOW)
        assert stale is not None

        assert (
            reason_for(lambda: redeem_stored(uow.secrets, stale, raw, stale.purpose, NOW, PEPPER))
            == "used"
        )


def test_a_code_whose_attempts_were_spent_since_it_was_read_is_refused_even_when_right():
    raw, secret = an_sms_code(attempts=2)
    uow_factory = stored_in_memory(secret)
    with uow_factory() as uow:
        stale = uow.secrets.find(secret.secret_hash)
        assert stale is not None
        for _ in range(2):
            assert (
                reason_for(
                    lambda: redeem_stored(
                        uow.secrets, stale, a_wrong_code(raw), stale.purpose, NOW, PEPPER
                    )
                )
                == "mismatch"
            )

        assert (
            reason_for(lambda: redeem_stored(uow.secrets, stale, raw, stale.purpose, NOW, PEPPER))
            == "attempts"
        )
        assert uow.secrets.find(secret.secret_hash) == attrs.evolve(secret, attempts_left=0)


def test_a_right_code_marks_the_stored_secret_used_and_keeps_its_attempts():
    raw, secret = an_sms_code(attempts=5)
    uow_factory = stored_in_memory(secret)
    with uow_factory() as uow:
        redeem_stored(uow.secrets, secret, raw, secret.purpose, NOW, PEPPER)

        assert uow.secrets.find(secret.secret_hash) == attrs.evolve(secret, used_at=NOW)
