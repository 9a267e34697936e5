"""The consent repository: an append-only record of consents given and withdrawn."""

from __future__ import annotations

import pytest

from lk_core.access.registration import ConsentKind
from lk_core.unit_of_work import UnitOfWorkFactory

from .builders import MOSCOW, NOON, a_consent, a_house, an_account, at, given


@pytest.fixture
def uow_factory_with_accounts(uow_factory: UnitOfWorkFactory) -> UnitOfWorkFactory:
    given(
        uow_factory,
        houses=[a_house("H1")],
        accounts=[an_account("100234"), an_account("100235")],
    )
    return uow_factory


def test_an_added_consent_is_kept_with_everything_it_records(
    uow_factory_with_accounts: UnitOfWorkFactory,
) -> None:
    uow_factory = uow_factory_with_accounts
    consent = a_consent(
        "100234",
        kind=ConsentKind.EMAIL_RECEIPT,
        text_version="2025-09-01",
        given=True,
        at=NOON.astimezone(MOSCOW),
        ip="2001:db8::1",
        user_agent="Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0",
        address="ivanov@mail.ru",
    )

    with uow_factory() as uow:
        uow.consents.add(consent)
        uow.commit()

    with uow_factory() as uow:
        assert uow.consents.of_account("100234") == [consent]


def test_a_withdrawal_is_recorded_beside_the_consent_it_withdraws(
    uow_factory_with_accounts: UnitOfWorkFactory,
) -> None:
    uow_factory = uow_factory_with_accounts
    given_consent = a_consent(kind=ConsentKind.SMS_INFORMING, given=True, at=at(0))
    withdrawal = a_consent(kind=ConsentKind.SMS_INFORMING, given=False, at=at(60))
    with uow_factory() as uow:
        uow.consents.add(given_consent)
        uow.commit()

    with uow_factory() as uow:
        uow.consents.add(withdrawal)
        uow.commit()

    with uow_factory() as uow:
        assert uow.consents.of_account("100234") == [given_consent, withdrawal]


def test_an_accounts_consents_are_listed_oldest_first(
    uow_factory_with_accounts: UnitOfWorkFactory,
) -> None:
    with uow_factory_with_accounts() as uow:
        uow.consents.add(a_consent(text_version="late", at=at(30)))
        uow.consents.add(a_consent(text_version="early", at=at(-30)))
        uow.consents.add(a_consent(text_version="middle", at=at(0)))

        listed = uow.consents.of_account("100234")

    assert [c.text_version for c in listed] == ["early", "middle", "late"]


def test_consents_made_at_the_same_moment_are_listed_in_the_order_added(
    uow_factory_with_accounts: UnitOfWorkFactory,
) -> None:
    kinds = [ConsentKind.PERSONAL_DATA, ConsentKind.EMAIL_RECEIPT, ConsentKind.EMAIL_INFORMING]
    with uow_factory_with_accounts() as uow:
        for kind in kinds:
            uow.consents.add(a_consent(kind=kind, at=NOON))

        assert [c.kind for c in uow.consents.of_account("100234")] == kinds


def test_the_same_consent_recorded_twice_is_kept_twice(
    uow_factory_with_accounts: UnitOfWorkFactory,
) -> None:
    with uow_factory_with_accounts() as uow:
        uow.consents.add(a_consent())
        uow.consents.add(a_consent())

        assert uow.consents.of_account("100234") == [a_consent(), a_consent()]


def test_an_account_without_consents_lists_none(
    uow_factory_with_accounts: UnitOfWorkFactory,
) -> None:
    with uow_factory_with_accounts() as uow:
        uow.consents.add(a_consent("100235"))
        assert uow.consents.of_account("100234") == []
