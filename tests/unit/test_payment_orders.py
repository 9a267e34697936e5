"""Payment orders: a fixed graph of status changes, and news checked against the order."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lk_core.kernel.errors import InvalidValue
from lk_core.kernel.money import Money
from lk_core.payments.crediting import Effect, PaymentNews, decide
from lk_core.payments.errors import PaymentMismatch
from lk_core.payments.orders import ALLOWED_CHANGES, OrderStatus, PaymentOrder
from lk_core.payments.payment import PaymentChannel
from lk_core.readings.errors import StatusChangeRefused

AT = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def an_order(**changes: object) -> PaymentOrder:
    fields: dict[str, object] = {"account_key": "100234", "provider": "yookassa",
                                 "amount": Money(150_000), "created_at": AT}  # fmt: skip
    return PaymentOrder("o1", **(fields | changes))  # type: ignore[arg-type]


def news(status: OrderStatus = OrderStatus.SUCCEEDED, **changes: object) -> PaymentNews:
    fields: dict[str, object] = {"order_id": "o1", "account_key": "100234",
                                 "amount": Money(150_000), "status": status}  # fmt: skip
    return PaymentNews(**(fields | changes))  # type: ignore[arg-type]


def test_a_pending_order_ends_once_either_way() -> None:
    assert ALLOWED_CHANGES[OrderStatus.PENDING] == {OrderStatus.SUCCEEDED, OrderStatus.CANCELED}
    assert ALLOWED_CHANGES[OrderStatus.SUCCEEDED] == frozenset()
    assert ALLOWED_CHANGES[OrderStatus.CANCELED] == frozenset()


@given(st.sampled_from(list(OrderStatus)), st.sampled_from(list(OrderStatus)))
def test_an_ended_order_never_changes(first: OrderStatus, then: OrderStatus) -> None:
    if first is OrderStatus.PENDING:
        return
    ended = an_order().moved_to(first, AT, "callback")

    with pytest.raises(StatusChangeRefused):
        ended.moved_to(then, AT, "callback")
    assert decide(ended, news(then), AT, "callback").effect is Effect.UNCHANGED


def test_a_succeeded_order_is_credited_as_one_portal_payment_named_after_it() -> None:
    decision = decide(an_order(), news(provider_payment_id="pay-1"), AT, "callback:yookassa")

    assert decision.effect is Effect.CREDITED
    assert decision.order.provider_payment_id == "pay-1"
    assert decision.order.confirmed_by == "callback:yookassa"
    assert decision.payment is not None
    assert (decision.payment.external_id, decision.payment.channel) == (
        "order:o1", PaymentChannel.PORTAL,
    )  # fmt: skip
    assert decision.payment.amount == Money(150_000)


def test_a_canceled_payment_credits_nothing() -> None:
    decision = decide(an_order(), news(OrderStatus.CANCELED), AT, "callback")

    assert (decision.effect, decision.payment) == (Effect.CANCELED, None)


@pytest.mark.parametrize(
    "changes",
    [
        {"amount": Money(149_999)},
        {"account_key": "100235"},
        {"order_id": "o2"},
    ],
)
def test_news_that_disagrees_with_the_order_is_refused(changes: dict[str, object]) -> None:
    with pytest.raises(PaymentMismatch):
        decide(an_order(), news(**changes), AT, "callback")


def test_news_of_another_provider_payment_is_refused() -> None:
    order = an_order(provider_payment_id="pay-1")

    with pytest.raises(PaymentMismatch):
        decide(order, news(provider_payment_id="pay-2"), AT, "callback")


@pytest.mark.parametrize("kopecks", [0, -100, 100_000_001])
def test_an_order_must_be_for_a_sensible_amount(kopecks: int) -> None:
    with pytest.raises(InvalidValue):
        an_order(amount=Money(kopecks))
