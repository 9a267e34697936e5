"""The crediting rule: how news of a payment changes its order, and when money is credited.

News comes from a provider (re-fetched, never taken from a callback's body) or from a
bank registry. It must agree with the order stored before the redirect — account and
amount — or it changes nothing. A pending order ends once; news about an ended order is
a repeat (or, if it contradicts the order, ignored): nothing is credited twice.
"""

from __future__ import annotations

import datetime as dt
import enum

import attrs

from lk_core.kernel.money import Money
from lk_core.payments.errors import PaymentMismatch
from lk_core.payments.orders import OrderStatus, PaymentOrder
from lk_core.payments.payment import Payment


@attrs.frozen
class PaymentNews:
    """What a provider or a registry says about a payment for an order."""

    order_id: str
    account_key: str
    amount: Money
    status: OrderStatus
    provider_payment_id: str = ""


class Effect(enum.Enum):
    CREDITED = "credited"  # the order succeeded now: credit its payment
    CANCELED = "canceled"  # the order ended unpaid now
    UNCHANGED = "unchanged"  # still pending, a repeat, or too late to change an ended order


@attrs.frozen
class Decision:
    effect: Effect
    order: PaymentOrder
    payment: Payment | None = None


def decide(order: PaymentOrder, news: PaymentNews, at: dt.datetime, by: str) -> Decision:
    """Apply news to an order; a mismatch with the stored order raises `PaymentMismatch`."""
    if news.order_id != order.id:
        raise PaymentMismatch(order.id, "другой номер заказа")
    if news.account_key != order.account_key:
        raise PaymentMismatch(order.id, "другой лицевой счёт")
    if news.amount != order.amount:
        raise PaymentMismatch(
            order.id, f"сумма {news.amount.format()} вместо {order.amount.format()}"
        )
    if (
        news.provider_payment_id
        and order.provider_payment_id
        and news.provider_payment_id != order.provider_payment_id
    ):
        raise PaymentMismatch(order.id, "другой платёж провайдера")
    if not order.can_move_to(news.status):
        return Decision(Effect.UNCHANGED, order)
    moved = order.moved_to(news.status, at, by)
    if news.provider_payment_id and not moved.provider_payment_id:
        moved = moved.with_provider_payment(news.provider_payment_id)
    if moved.status is OrderStatus.SUCCEEDED:
        return Decision(Effect.CREDITED, moved, moved.credited_payment())
    return Decision(Effect.CANCELED, moved)
