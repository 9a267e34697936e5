"""The registration repository: one registration per account, counted per e-mail."""

from __future__ import annotations

import pytest

from lk_core.access.registration import ConfirmationMethod, RegistrationStatus
from lk_core.unit_of_work import UnitOfWorkFactory

from .builders import NOON, a_house, a_registration, an_account, at, given

KEYS = ("100234", "100235", "100236", "100237")


@pytest.fixture
def uow_factory_with_accounts(uow_factory: UnitOfWorkFactory) -> UnitOfWorkFactory:
    given(uow_factory, houses=[a_house("H1")], accounts=[an_account(key) for key in KEYS])
    return uow_factory


def test_a_saved_registration_is_found_by_its_account(
    uow_factory_with_accounts: UnitOfWorkFactory,
) -> None:
    uow_factory = uow_factory_with_accounts
    registration = a_registration(
        "100234",
        email="Ivan.Ivanov@Mail.RU",
        method=ConfirmationMethod.SMS,
        phone="+7 916 123-45-67",
        created_at=NOON,
    )
    registration.confirm(at(5))

    with uow_factory() as uow:
        uow.registrations.save(registration)
        uow.commit()

    with uow_factory() as uow:
        found = uow.registrations.get("100234")

    assert found == registration
    assert found is not None
    assert str(found.email) == "Ivan.Ivanov@mail.ru"
    assert found.status is RegistrationStatus.CONFIRMED


def test_an_account_without_registration_has_none(
    uow_factory_with_accounts: UnitOfWorkFactory,
) -> None:
    with uow_factory_with_accounts() as uow:
        uow.registrations.save(a_registration("100234"))
        assert uow.registrations.get("100235") is None


def test_saving_a_registration_again_replaces_it(
    uow_factory_with_accounts: UnitOfWorkFactory,
) -> None:
    uow_factory = uow_factory_with_accounts
    with uow_factory() as uow:
        uow.registrations.save(a_registration("100234", email="old@mail.ru"))
        uow.commit()
    replacement = a_registration("100234", email="new@mail.ru", password_hash="other-hash")
    replacement.confirm(at(30))

    with uow_factory() as uow:
        uow.registrations.save(replacement)
        uow.commit()

    with uow_factory() as uow:
        assert uow.registrations.get("100234") == replacement
        assert uow.registrations.count_with_email("old@mail.ru") == 0


def test_a_deleted_registration_is_gone(uow_factory_with_accounts: UnitOfWorkFactory) -> None:
    uow_factory = uow_factory_with_accounts
    with uow_factory() as uow:
        uow.registrations.save(a_registration("100234"))
        uow.registrations.save(a_registration("100235"))
        uow.commit()

    with uow_factory() as uow:
        uow.registrations.delete("100234")
        uow.registrations.delete("100236")
        uow.commit()

    with uow_factory() as uow:
        assert uow.registrations.get("100234") is None
        assert uow.registrations.get("100235") is not None


def test_registrations_with_an_email_are_counted_whatever_its_case(
    uow_factory_with_accounts: UnitOfWorkFactory,
) -> None:
    with uow_factory_with_accounts() as uow:
        uow.registrations.save(a_registration("100234", email="Ivanov@Mail.ru"))
        uow.registrations.save(a_registration("100235", email="ivanov@mail.ru"))
        uow.registrations.save(a_registration("100236", email="IVANOV@MAIL.RU"))
        uow.registrations.save(a_registration("100237", email="petrov@mail.ru"))

        assert uow.registrations.count_with_email("ivanov@mail.ru") == 3
        assert uow.registrations.count_with_email("IVANOV@mail.ru") == 3
        assert uow.registrations.count_with_email("petrov@mail.ru") == 1
        assert uow.registrations.count_with_email("sidorov@mail.ru") == 0


def test_changing_a_registration_found_changes_nothing_until_it_is_saved(
    uow_factory_with_accounts: UnitOfWorkFactory,
) -> None:
    with uow_factory_with_accounts() as uow:
        uow.registrations.save(a_registration("100234"))
        found = uow.registrations.get("100234")
        assert found is not None
        found.change_password_hash("changed")
        assert uow.registrations.get("100234") == a_registration("100234")
