"""Sign-in (F1): one answer for any wrong pair, throttling before argon2, an audit trail."""

from __future__ import annotations

import pytest

from access_fixtures import (
    IP,
    IVANOV,
    OTHER_IP,
    PASSWORD,
    SEMENOV,
    Portal,
    a_portal,
)
from lk_core.access.audit import AuditKind
from lk_core.access.errors import RegistrationNotConfirmed, SignInFailed
from lk_core.access.sessions import session_id_hash
from lk_core.access.sign_in import current_session, sign_in
from lk_core.access.throttling import Throttled


@pytest.fixture
def portal() -> Portal:
    portal = a_portal()
    portal.register(IVANOV)
    return portal


def attempt(portal: Portal, password: str, number: str = IVANOV, ip: str = IP) -> str:
    return sign_in(portal.ctx, number, password, ip=ip, current_session=None)


def test_the_right_pair_signs_in_and_only_the_hash_of_the_session_id_is_stored(
    portal: Portal,
) -> None:
    raw = attempt(portal, PASSWORD)

    assert session_id_hash(raw) in portal.store.sessions
    assert raw not in portal.store.sessions
    assert len(raw) >= 43  # 256 random bits, URL-safe
    session = current_session(portal.ctx, raw)
    assert session is not None
    assert session.is_signed_in
    assert session.registration_key == IVANOV
    assert session.account_key == IVANOV


def test_a_wrong_password_and_an_unknown_account_get_the_same_message(portal: Portal) -> None:
    with pytest.raises(SignInFailed) as wrong_password:
        attempt(portal, "не тот пароль вовсе")
    with pytest.raises(SignInFailed) as unknown_account:
        attempt(portal, PASSWORD, number="999999")
    with pytest.raises(SignInFailed) as not_a_number:
        attempt(portal, PASSWORD, number="не номер")

    assert wrong_password.value.message_ru == unknown_account.value.message_ru
    assert unknown_account.value.message_ru == not_a_number.value.message_ru
    assert wrong_password.value.message_ru == "Неверный номер лицевого счёта или пароль"


def test_an_unknown_account_costs_one_password_check_like_a_known_one(portal: Portal) -> None:
    before = portal.hasher.verify_calls
    with pytest.raises(SignInFailed):
        attempt(portal, PASSWORD, number="999999")
    with pytest.raises(SignInFailed):
        attempt(portal, "не тот пароль вовсе")

    assert portal.hasher.verify_calls - before == 2


@pytest.mark.parametrize("typed", ["100234-А", "100234а", "100 234", " 100-234/А ", "100234"])
def test_an_account_number_typed_with_its_letter_index_or_separators_signs_in(
    portal: Portal, typed: str
) -> None:
    raw = attempt(portal, PASSWORD, number=typed)

    session = current_session(portal.ctx, raw)
    assert session is not None
    assert session.registration_key == IVANOV


def test_an_unconfirmed_registration_with_the_right_password_is_told_to_finish_registering(
    portal: Portal,
) -> None:
    portal.start_registration(SEMENOV)

    with pytest.raises(RegistrationNotConfirmed):
        attempt(portal, PASSWORD, number=SEMENOV)
    with pytest.raises(SignInFailed):
        attempt(portal, "не тот пароль вовсе", number=SEMENOV)


def test_two_hundred_wrong_passwords_never_let_one_in_nor_lock_the_right_one_out_for_good(
    portal: Portal,
) -> None:
    outcomes = []
    for guess in range(200):
        try:
            attempt(portal, f"угадываю пароль {guess}")
        except (SignInFailed, Throttled) as error:
            outcomes.append(type(error))
        else:
            outcomes.append(str)
        portal.clock.advance(seconds=10)

    assert str not in outcomes
    assert outcomes.count(Throttled) > outcomes.count(SignInFailed)
    with pytest.raises(Throttled):
        attempt(portal, PASSWORD)

    portal.clock.advance(hours=1)
    assert current_session(portal.ctx, attempt(portal, PASSWORD)) is not None


def test_at_most_a_hundred_wrong_passwords_an_hour_reach_argon2_however_many_ips_try(
    portal: Portal,
) -> None:
    before = portal.hasher.verify_calls
    for guess in range(400):  # one every 9 seconds, each from a new address, for an hour
        with pytest.raises((SignInFailed, Throttled)):
            attempt(portal, f"угадываю пароль {guess}", ip=f"10.0.{guess // 250}.{guess % 250}")
        portal.clock.advance(seconds=9)

    assert portal.hasher.verify_calls - before == 100
    assert attempt(portal, PASSWORD)


def test_throttling_is_checked_before_argon2_runs(portal: Portal) -> None:
    for guess in range(10):
        with pytest.raises(SignInFailed):
            attempt(portal, f"угадываю пароль {guess}")
    before = portal.hasher.verify_calls

    for password in ["ещё одна догадка", PASSWORD, "и ещё одна"]:
        with pytest.raises(Throttled):
            attempt(portal, password)

    assert portal.hasher.verify_calls == before


def test_one_ip_walking_account_numbers_is_stopped_while_another_ip_still_signs_in(
    portal: Portal,
) -> None:
    for number in range(500_000, 500_050):
        with pytest.raises(SignInFailed):
            attempt(portal, "пароль наугад", number=str(number))

    with pytest.raises(Throttled):
        attempt(portal, "пароль наугад", number="500050")
    with pytest.raises(Throttled):
        attempt(portal, PASSWORD)  # the walker cannot go on by trying a real account either
    assert attempt(portal, PASSWORD, ip=OTHER_IP)


def test_success_failure_and_throttling_are_audited_without_the_password(
    portal: Portal,
) -> None:
    attempt(portal, PASSWORD)
    wrong = "мой неверный пароль"
    for _ in range(10):
        with pytest.raises(SignInFailed):
            attempt(portal, wrong)
    with pytest.raises(Throttled):
        attempt(portal, wrong)

    kinds = [event.kind for event in portal.audit_events() if event.account_key == IVANOV]
    assert kinds.count(AuditKind.SIGN_IN) == 1
    assert kinds.count(AuditKind.SIGN_IN_FAILED) == 10
    assert kinds.count(AuditKind.SIGN_IN_THROTTLED) == 1
    assert all(event.ip == IP for event in portal.audit_events() if event.ip)
    recorded = repr(portal.audit_events())
    assert PASSWORD not in recorded
    assert wrong not in recorded
