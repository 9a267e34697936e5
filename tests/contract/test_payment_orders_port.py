"""The payment order repository: orders change status only from the status last read."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from lk_core.kernel.money import Money
from lk_core.payments.errors import DuplicateProviderPayment
from lk_core.payments.orders import OrderStatus, PaymentOrder
from lk_core.unit_of_work import UnitOfWorkFactory

from .builders import a_house, an_account, at, given


@pytest.fixture
def orders_factory(uow_factory: UnitOfWorkFactory) -> UnitOfWorkFactory:
    given(
        uow_factory, houses=[a_house("H1")], accounts=[an_account("100234"), an_account("100235")]
    )
    return uow_factory


def an_order(order_id: str = "o1", **changes: Any) -> PaymentOrder:
    fields: dict[str, Any] = {
        "account_key": "100234",
        "provider": "yookassa",
        "amount": Money(150_000),
        "created_at": at(0),
        "email": "ivanov@example.ru",
        "service_code": "HW",
        "readings": "ХВС 123",
    }
    return PaymentOrder(order_id, **(fields | changes))


def test_a_stored_order_is_read_back_whole(orders_factory: UnitOfWorkFactory) -> None:
    order = an_order(provider_payment_id="pay-1")
    with orders_factory() as uow:
        uow.payment_orders.add(order)
        uow.commit()

    with orders_factory() as uow:
        assert uow.payment_orders.get("o1") == order
        assert uow.payment_orders.by_provider_payment("yookassa", "pay-1") == order
        assert uow.payment_orders.by_provider_payment("other", "pay-1") is None
        assert uow.payment_orders.get("nope") is None


def test_a_status_changes_only_from_the_status_the_caller_read(
    orders_factory: UnitOfWorkFactory,
) -> None:
    order = an_order()
    with orders_factory() as uow:
        uow.payment_orders.add(order)
        uow.commit()
    paid = order.moved_to(OrderStatus.SUCCEEDED, at(5), "callback")

    with orders_factory() as uow:
        first = uow.payment_orders.replace(paid, OrderStatus.PENDING)
        second = uow.payment_orders.replace(paid, OrderStatus.PENDING)
        uow.commit()

    assert (first, second) == (True, False)
    with orders_factory() as uow:
        assert uow.payment_orders.get("o1") == paid


def test_a_provider_payment_belongs_to_one_order_only(orders_factory: UnitOfWorkFactory) -> None:
    with orders_factory() as uow:
        uow.payment_orders.add(an_order("o1", provider_payment_id="pay-1"))
        uow.payment_orders.add(an_order("o2"))
        uow.commit()

    with orders_factory() as uow:
        with pytest.raises(DuplicateProviderPayment):
            uow.payment_orders.replace(
                an_order("o2", provider_payment_id="pay-1"), OrderStatus.PENDING
            )
        uow.payment_orders.replace(an_order("o2", provider_payment_id="pay-2"), OrderStatus.PENDING)
        uow.commit()

    with orders_factory() as uow:
        assert uow.payment_orders.get("o2") == an_order("o2", provider_payment_id="pay-2")


def test_orders_are_listed_newest_first_and_pending_ones_found_by_account(
    orders_factory: UnitOfWorkFactory,
) -> None:
    older, newer = an_order("o1", created_at=at(0)), an_order("o2", created_at=at(10))
    other_amount = an_order("o3", created_at=at(5), amount=Money(99))
    paid = an_order("o4", created_at=at(1)).moved_to(OrderStatus.SUCCEEDED, at(2), "callback")
    elsewhere = an_order("o5", account_key="100235")
    with orders_factory() as uow:
        for order in (older, newer, other_amount, paid, elsewhere):
            uow.payment_orders.add(order)
        uow.commit()

    with orders_factory() as uow:
        assert [o.id for o in uow.payment_orders.of_account("100234", 10)] == [
            "o2", "o3", "o4", "o1",
        ]  # fmt: skip
        assert [o.id for o in uow.payment_orders.of_account("100234", 2)] == ["o2", "o3"]
        assert uow.payment_orders.pending_of(["100234"]) == [older, other_amount, newer]
        assert uow.payment_orders.pending_of(["100234", "100235", "100234"]) == [
            older, elsewhere, other_amount, newer,
        ]  # fmt: skip
        assert uow.payment_orders.get_many(["o2", "nope", "o4"]) == {"o2": newer, "o4": paid}
        assert [o.id for o in uow.payment_orders.created_before(at(5))] == ["o1", "o5", "o4"]


def test_an_order_not_committed_is_forgotten(orders_factory: UnitOfWorkFactory) -> None:
    with orders_factory() as uow:
        uow.payment_orders.add(an_order())

    with orders_factory() as uow:
        assert uow.payment_orders.get("o1") is None


def test_created_before_compares_moments_not_dates(orders_factory: UnitOfWorkFactory) -> None:
    with orders_factory() as uow:
        uow.payment_orders.add(an_order("o1", created_at=at(0)))
        uow.commit()

    with orders_factory() as uow:
        assert uow.payment_orders.created_before(at(0)) == []
        assert len(uow.payment_orders.created_before(at(0) + dt.timedelta(seconds=1))) == 1
