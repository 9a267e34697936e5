"""The secret repository: one-time secrets found by hash, the latest per subject and purpose."""

from __future__ import annotations

import datetime as dt

from lk_core.access.one_time_secrets import SecretPurpose
from lk_core.unit_of_work import UnitOfWorkFactory

from .builders import MOSCOW, NOON, a_secret, at


def hash_of(n: int) -> str:
    return f"{n:064x}"


def test_an_added_secret_is_found_by_its_hash(uow_factory: UnitOfWorkFactory) -> None:
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


def test_an_unknown_hash_finds_nothing(uow_factory: UnitOfWorkFactory) -> None:
    with uow_factory() as uow:
        uow.secrets.add(a_secret(hash_of(1)))
        assert uow.secrets.find(hash_of(2)) is None


def test_the_latest_secret_is_the_one_issued_last_to_that_subject_for_that_purpose(
    uow_factory: UnitOfWorkFactory,
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
    uow_factory: UnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        uow.secrets.add(a_secret(hash_of(2), issued_at=NOON))
        uow.secrets.add(a_secret(hash_of(1), issued_at=NOON))
        latest = uow.secrets.latest("100234", SecretPurpose.REGISTRATION)

    assert latest is not None
    assert latest.secret_hash == hash_of(1)


def test_without_secrets_for_subject_and_purpose_there_is_no_latest(
    uow_factory: UnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        uow.secrets.add(a_secret(hash_of(1), subject="100234"))

        assert uow.secrets.latest("100235", SecretPurpose.REGISTRATION) is None
        assert uow.secrets.latest("100234", SecretPurpose.SMS_CONFIRMATION) is None


def test_saving_a_secret_stores_its_attempts_left_and_when_it_was_used(
    uow_factory: UnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        uow.secrets.add(a_secret(hash_of(1), attempts_left=3))
        uow.secrets.add(a_secret(hash_of(2), attempts_left=3))
        uow.commit()

    with uow_factory() as uow:
        secret = uow.secrets.find(hash_of(1))
        assert secret is not None
        secret.attempts_left = 2
        secret.used_at = at(3)
        uow.secrets.save(secret)
        uow.commit()

    with uow_factory() as uow:
        assert uow.secrets.find(hash_of(1)) == secret
        assert uow.secrets.find(hash_of(2)) == a_secret(hash_of(2), attempts_left=3)


def test_changing_a_secret_found_changes_nothing_until_it_is_saved(
    uow_factory: UnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        uow.secrets.add(a_secret(hash_of(1)))
        found = uow.secrets.find(hash_of(1))
        assert found is not None
        found.used_at = at(1)
        assert uow.secrets.find(hash_of(1)) == a_secret(hash_of(1))
