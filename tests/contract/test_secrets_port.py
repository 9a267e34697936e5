"""The secret repository: one-time secrets found by hash, the latest per subject and purpose,
consumed and their attempts spent by conditional writes only."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from lk_adapters.portal_unit_of_work import PortalUnitOfWorkFactory
from lk_core.access.one_time_secrets import OneTimeSecret, SecretPurpose

from .builders import MOSCOW, NOON, a_secret, at


def hash_of(n: int) -> str:
    return f"{n:064x}"


def test_an_added_secret_is_found_by_its_hash(uow_factory: PortalUnitOfWorkFactory) -> None:
    secret = a_secret(
        hash_of(1),
        purpose=SecretPurpose.EMAIL_CHANGE,
        subject="100234",
        issued_at=dt.datetime(2026, 10, 15, 15, 0, 0, 1, tzinfo=MOSCOW),
        expires_at=NOON + dt.timedelta(hours=1),
        attempts_left=3,
        payload="new@mail.ru",
    )

    with uow_factory() as uow:
        uow.secrets.add(secret)
        uow.secrets.add(a_secret(hash_of(2)))
        uow.commit()

    with uow_factory() as uow:
        assert uow.secrets.find(hash_of(1)) == secret


def test_an_unknown_hash_finds_nothing(uow_factory: PortalUnitOfWorkFactory) -> None:
    with uow_factory() as uow:
        uow.secrets.add(a_secret(hash_of(1)))
        assert uow.secrets.find(hash_of(2)) is None


def test_the_latest_secret_is_the_one_issued_last_to_that_subject_for_that_purpose(
    uow_factory: PortalUnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        uow.secrets.add(a_secret(hash_of(1), subject="100234", issued_at=at(0)))
        uow.secrets.add(a_secret(hash_of(2), subject="100234", issued_at=at(10)))
        uow.secrets.add(a_secret(hash_of(3), subject="100234", issued_at=at(5)))
        uow.secrets.add(
            a_secret(
                hash_of(4), subject="100234", issued_at=at(20), purpose=SecretPurpose.PASSWORD_RESET
            )
        )
        uow.secrets.add(a_secret(hash_of(5), subject="100235", issued_at=at(30)))
        uow.commit()

    with uow_factory() as uow:
        latest = uow.secrets.latest("100234", SecretPurpose.REGISTRATION)
        latest_reset = uow.secrets.latest("100234", SecretPurpose.PASSWORD_RESET)

    assert latest is not None
    assert latest.secret_hash == hash_of(2)
    assert latest_reset is not None
    assert latest_reset.secret_hash == hash_of(4)


def test_of_secrets_issued_at_the_same_moment_the_one_added_last_is_the_latest(
    uow_factory: PortalUnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        uow.secrets.add(a_secret(hash_of(2), issued_at=NOON))
        uow.secrets.add(a_secret(hash_of(1), issued_at=NOON))
        latest = uow.secrets.latest("100234", SecretPurpose.REGISTRATION)

    assert latest is not None
    assert latest.secret_hash == hash_of(1)


def test_without_secrets_for_subject_and_purpose_there_is_no_latest(
    uow_factory: PortalUnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        uow.secrets.add(a_secret(hash_of(1), subject="100234"))

        assert uow.secrets.latest("100235", SecretPurpose.REGISTRATION) is None
        assert uow.secrets.latest("100234", SecretPurpose.SMS_CONFIRMATION) is None


def stored(uow_factory: PortalUnitOfWorkFactory, secret_hash: str) -> OneTimeSecret:
    with uow_factory(read_only=True) as uow:
        found = uow.secrets.find(secret_hash)
    assert found is not None
    return found


def test_consuming_a_usable_secret_marks_it_used_then_and_only_once(
    uow_factory: PortalUnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        uow.secrets.add(a_secret(hash_of(1), attempts_left=3))
        uow.secrets.add(a_secret(hash_of(2)))
        uow.commit()

    with uow_factory() as uow:
        first = uow.secrets.consume(hash_of(1), SecretPurpose.REGISTRATION, at(3))
        again = uow.secrets.consume(hash_of(1), SecretPurpose.REGISTRATION, at(4))
        uow.commit()

    assert (first, again) == (True, False)
    assert stored(uow_factory, hash_of(1)) == a_secret(hash_of(1), attempts_left=3, used_at=at(3))
    assert stored(uow_factory, hash_of(2)) == a_secret(hash_of(2))


@pytest.mark.parametrize(
    ("why", "secret", "purpose"),
    [
        ("used", a_secret(hash_of(1), used_at=at(1)), SecretPurpose.REGISTRATION),
        ("expired", a_secret(hash_of(1), expires_at=at(5)), SecretPurpose.REGISTRATION),
        ("no attempts left", a_secret(hash_of(1), attempts_left=0), SecretPurpose.REGISTRATION),
        ("another purpose", a_secret(hash_of(1)), SecretPurpose.PASSWORD_RESET),
    ],
)
def test_a_secret_that_is_not_usable_is_not_consumed(
    uow_factory: PortalUnitOfWorkFactory, why: str, secret: OneTimeSecret, purpose: SecretPurpose
) -> None:
    with uow_factory() as uow:
        uow.secrets.add(secret)
        uow.commit()

    with uow_factory() as uow:
        consumed = uow.secrets.consume(hash_of(1), purpose, at(5))
        unknown = uow.secrets.consume(hash_of(2), purpose, at(5))
        uow.commit()

    assert not consumed, why
    assert not unknown
    assert stored(uow_factory, hash_of(1)) == secret


def test_a_secret_is_usable_until_the_moment_it_expires(
    uow_factory: PortalUnitOfWorkFactory,
) -> None:
    just_before = (at(5) - dt.timedelta(microseconds=1)).astimezone(MOSCOW)
    with uow_factory() as uow:
        uow.secrets.add(a_secret(hash_of(1), expires_at=at(5)))
        uow.secrets.add(a_secret(hash_of(2), expires_at=at(5)))

        assert uow.secrets.consume(hash_of(1), SecretPurpose.REGISTRATION, just_before)
        assert not uow.secrets.consume(hash_of(2), SecretPurpose.REGISTRATION, at(5))


def test_each_spent_attempt_takes_one_until_none_is_left(
    uow_factory: PortalUnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        uow.secrets.add(a_secret(hash_of(1), attempts_left=3))
        uow.secrets.add(a_secret(hash_of(2), attempts_left=3))
        uow.commit()

    with uow_factory() as uow:
        spent = [uow.secrets.spend_attempt(hash_of(1)) for _ in range(4)]
        uow.commit()

    assert spent == [True, True, True, False]
    assert stored(uow_factory, hash_of(1)).attempts_left == 0
    assert stored(uow_factory, hash_of(2)).attempts_left == 3
    with uow_factory() as uow:
        assert not uow.secrets.consume(hash_of(1), SecretPurpose.REGISTRATION, at(0))


def test_a_used_secret_keeps_its_attempts_when_a_wrong_guess_comes_late(
    uow_factory: PortalUnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        uow.secrets.add(a_secret(hash_of(1), attempts_left=1, used_at=at(1)))
        assert not uow.secrets.spend_attempt(hash_of(1))
        assert not uow.secrets.spend_attempt(hash_of(2))
        uow.commit()

    assert stored(uow_factory, hash_of(1)).attempts_left == 1


def test_a_voided_secret_has_no_attempts_left_used_or_not(
    uow_factory: PortalUnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        uow.secrets.add(a_secret(hash_of(1), attempts_left=5))
        uow.secrets.add(a_secret(hash_of(2), attempts_left=5, used_at=at(1)))
        uow.secrets.add(a_secret(hash_of(3), attempts_left=5))
        uow.secrets.void(hash_of(1))
        uow.secrets.void(hash_of(2))
        uow.secrets.void(hash_of(4))
        uow.commit()

    assert stored(uow_factory, hash_of(1)) == a_secret(hash_of(1), attempts_left=0)
    assert stored(uow_factory, hash_of(2)) == a_secret(hash_of(2), attempts_left=0, used_at=at(1))
    assert stored(uow_factory, hash_of(3)).attempts_left == 5
    with uow_factory() as uow:
        assert not uow.secrets.consume(hash_of(1), SecretPurpose.REGISTRATION, at(2))


def test_a_rolled_back_consumption_leaves_the_secret_usable(
    uow_factory: PortalUnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        uow.secrets.add(a_secret(hash_of(1), attempts_left=2))
        uow.commit()
        assert uow.secrets.consume(hash_of(1), SecretPurpose.REGISTRATION, at(1))
        assert uow.secrets.spend_attempt(hash_of(1)) is False
        uow.rollback()

    assert stored(uow_factory, hash_of(1)) == a_secret(hash_of(1), attempts_left=2)


def test_of_many_workers_consuming_one_secret_at_once_exactly_one_succeeds(
    sql_uow_factory: PortalUnitOfWorkFactory,
) -> None:
    workers = 8
    with sql_uow_factory() as uow:
        uow.secrets.add(a_secret(hash_of(1), attempts_left=1))
        uow.commit()
    everyone_ready = threading.Barrier(workers, timeout=10)

    def worker() -> bool:
        everyone_ready.wait()
        with sql_uow_factory() as uow:
            consumed = uow.secrets.consume(hash_of(1), SecretPurpose.REGISTRATION, at(1))
            uow.commit()
        return consumed

    with ThreadPoolExecutor(workers) as pool:
        outcomes = [
            result.result(timeout=60) for result in [pool.submit(worker) for _ in range(workers)]
        ]

    assert outcomes.count(True) == 1


def test_many_workers_spending_attempts_at_once_take_no_more_than_there_are(
    sql_uow_factory: PortalUnitOfWorkFactory,
) -> None:
    workers = 12
    with sql_uow_factory() as uow:
        uow.secrets.add(a_secret(hash_of(1), attempts_left=5))
        uow.commit()
    everyone_ready = threading.Barrier(workers, timeout=10)

    def worker() -> bool:
        everyone_ready.wait()
        with sql_uow_factory() as uow:
            spent = uow.secrets.spend_attempt(hash_of(1))
            uow.commit()
        return spent

    with ThreadPoolExecutor(workers) as pool:
        outcomes = [
            result.result(timeout=60) for result in [pool.submit(worker) for _ in range(workers)]
        ]

    assert outcomes.count(True) == 5
    assert stored(sql_uow_factory, hash_of(1)).attempts_left == 0


def test_changing_a_secret_found_changes_nothing_stored(
    uow_factory: PortalUnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        uow.secrets.add(a_secret(hash_of(1)))
        found = uow.secrets.find(hash_of(1))
        assert found is not None
        found.used_at = at(1)
        assert uow.secrets.find(hash_of(1)) == a_secret(hash_of(1))
