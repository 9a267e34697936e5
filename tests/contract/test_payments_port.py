"""The payment repository: each payment is credited once, however often it is seen."""

from __future__ import annotations

import datetime as dt

import pytest

from lk_core.kernel.money import Money
from lk_core.payments.payment import PaymentChannel
from lk_core.unit_of_work import UnitOfWorkFactory

from .builders import a_house, a_payment, an_account, given


@pytest.fixture
def uow_factory_with_accounts(uow_factory: UnitOfWorkFactory) -> UnitOfWorkFactory:
    given(
        uow_factory,
        houses=[a_house("H1")],
        accounts=[an_account("100234"), an_account("100235")],
    )
    return uow_factory


def test_added_payments_are_counted_as_new_and_listed_for_their_account(
    uow_factory_with_accounts: UnitOfWorkFactory,
) -> None:
    uow_factory = uow_factory_with_accounts
    payment = a_payment(
        "P1",
        account_key="100234",
        paid_on=dt.date(2026, 10, 5),
        amount=Money(123_456),
        channel=PaymentChannel.REGISTRY,
        payer="Иванов И. И.",
    )

    with uow_factory() as uow:
        assert uow.payments.add_many([payment, a_payment("P2", account_key="100235")]) == 2
        uow.commit()

    with uow_factory() as uow:
        assert uow.payments.of_account("100234") == [payment]


def test_a_payment_seen_again_is_not_added_twice(
    uow_factory_with_accounts: UnitOfWorkFactory,
) -> None:
    uow_factory = uow_factory_with_accounts
    with uow_factory() as uow:
        uow.payments.add_many([a_payment("P1"), a_payment("P2")])
        uow.commit()

    with uow_factory() as uow:
        new = uow.payments.add_many([a_payment("P2"), a_payment("P3")])
        uow.commit()

    assert new == 1
    with uow_factory() as uow:
        assert sorted(p.external_id for p in uow.payments.of_account("100234")) == [
            "P1",
            "P2",
            "P3",
        ]


def test_a_payment_seen_again_keeps_what_was_first_recorded(
    uow_factory_with_accounts: UnitOfWorkFactory,
) -> None:
    uow_factory = uow_factory_with_accounts
    with uow_factory() as uow:
        uow.payments.add_many([a_payment("P1", amount=Money(100))])
        assert uow.payments.add_many([a_payment("P1", amount=Money(999))]) == 0
        assert [p.amount for p in uow.payments.of_account("100234")] == [Money(100)]


def test_a_payment_repeated_within_one_call_is_added_once(
    uow_factory_with_accounts: UnitOfWorkFactory,
) -> None:
    uow_factory = uow_factory_with_accounts
    with uow_factory() as uow:
        assert uow.payments.add_many([a_payment("P1"), a_payment("P1")]) == 1
        assert len(uow.payments.of_account("100234")) == 1


def test_the_same_external_id_from_another_channel_is_another_payment(
    uow_factory_with_accounts: UnitOfWorkFactory,
) -> None:
    uow_factory = uow_factory_with_accounts
    with uow_factory() as uow:
        added = uow.payments.add_many(
            [
                a_payment("42", channel=PaymentChannel.BILLING),
                a_payment("42", channel=PaymentChannel.PORTAL),
            ]
        )
        assert added == 2
        assert {p.channel for p in uow.payments.of_account("100234")} == {
            PaymentChannel.BILLING,
            PaymentChannel.PORTAL,
        }


def test_adding_no_payments_adds_none(uow_factory_with_accounts: UnitOfWorkFactory) -> None:
    with uow_factory_with_accounts() as uow:
        assert uow.payments.add_many([]) == 0


def test_an_accounts_payments_are_listed_newest_first(
    uow_factory_with_accounts: UnitOfWorkFactory,
) -> None:
    uow_factory = uow_factory_with_accounts
    with uow_factory() as uow:
        uow.payments.add_many(
            [
                a_payment("P1", paid_on=dt.date(2026, 9, 10)),
                a_payment("P2", paid_on=dt.date(2026, 10, 1)),
                a_payment("P3", paid_on=dt.date(2026, 8, 31)),
                a_payment("P4", paid_on=dt.date(2026, 10, 1), account_key="100235"),
            ]
        )

        listed = uow.payments.of_account("100234")

    assert [p.external_id for p in listed] == ["P2", "P1", "P3"]


def test_payments_of_the_same_day_are_listed_latest_added_first(
    uow_factory_with_accounts: UnitOfWorkFactory,
) -> None:
    uow_factory = uow_factory_with_accounts
    same_day = dt.date(2026, 10, 1)
    with uow_factory() as uow:
        uow.payments.add_many([a_payment("B", paid_on=same_day), a_payment("A", paid_on=same_day)])
        uow.commit()
    with uow_factory() as uow:
        uow.payments.add_many([a_payment("C", paid_on=same_day)])

        listed = uow.payments.of_account("100234")

    assert [p.external_id for p in listed] == ["C", "A", "B"]


def test_an_account_without_payments_lists_none(
    uow_factory_with_accounts: UnitOfWorkFactory,
) -> None:
    with uow_factory_with_accounts() as uow:
        uow.payments.add_many([a_payment("P1", account_key="100235")])
        assert uow.payments.of_account("100234") == []
