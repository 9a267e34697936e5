"""Payment orders (F12): stored before the resident leaves for a provider, then confirmed.

An order is `pending` until the provider (by an authenticated callback) or a bank
registry says how it ended; `succeeded` and `canceled` are terminal (SECURITY.md,
"Payments"). Only a succeeded order is credited, and it is credited as one payment whose
id is the order's, so however many times the news arrives it counts once.
"""

from __future__ import annotations

import datetime as dt
import enum

import attrs

from lk_core.kernel.errors import InvalidValue
from lk_core.kernel.money import Money
from lk_core.payments.payment import Payment, PaymentChannel
from lk_core.readings.errors import StatusChangeRefused


class OrderStatus(enum.Enum):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    CANCELED = "canceled"

    @property
    def label_ru(self) -> str:
        return {
            "pending": "ожидает подтверждения",
            "succeeded": "оплачено",
            "canceled": "не оплачено",
        }[self.value]

    @property
    def is_terminal(self) -> bool:
        return self is not OrderStatus.PENDING


# The whole graph: a pending order ends once, and an ended one never changes.
ALLOWED_CHANGES: dict[OrderStatus, frozenset[OrderStatus]] = {
    OrderStatus.PENDING: frozenset({OrderStatus.SUCCEEDED, OrderStatus.CANCELED}),
    OrderStatus.SUCCEEDED: frozenset(),
    OrderStatus.CANCELED: frozenset(),
}

MAX_ORDER = Money(100_000_000)  # one million rubles: more is a typo, not a utility bill


def _positive(_instance: object, _attribute: object, value: Money) -> None:
    if value.kopecks <= 0:
        raise InvalidValue("amount", value, "Сумма к оплате должна быть больше нуля")
    if value > MAX_ORDER:
        raise InvalidValue("amount", value, "Сумма слишком велика: не больше 1 000 000 ₽")


@attrs.frozen
class PaymentOrder:
    """What the resident set out to pay, through which provider, and how it ended."""

    id: str
    account_key: str
    provider: str
    amount: Money = attrs.field(validator=_positive)
    created_at: dt.datetime
    service_code: str = ""  # "" pays the total
    email: str = ""
    readings: str = ""
    status: OrderStatus = OrderStatus.PENDING
    provider_payment_id: str = ""
    confirmed_at: dt.datetime | None = None
    confirmed_by: str = ""

    def can_move_to(self, status: OrderStatus) -> bool:
        return status in ALLOWED_CHANGES[self.status]

    def moved_to(self, status: OrderStatus, at: dt.datetime, by: str) -> PaymentOrder:
        """The order in its new status; a change outside the graph is refused."""
        if not self.can_move_to(status):
            raise StatusChangeRefused(self.id, self.status.value, status.value)
        return attrs.evolve(self, status=status, confirmed_at=at, confirmed_by=by)

    def with_provider_payment(self, provider_payment_id: str) -> PaymentOrder:
        return attrs.evolve(self, provider_payment_id=provider_payment_id)

    def credited_payment(self) -> Payment:
        """The payment a succeeded order is credited as; its id is the order's own."""
        if self.status is not OrderStatus.SUCCEEDED or self.confirmed_at is None:
            raise StatusChangeRefused(self.id, self.status.value, "credited")
        return Payment(
            external_id=f"order:{self.id}",
            account_key=self.account_key,
            paid_on=self.confirmed_at.date(),
            amount=self.amount,
            channel=PaymentChannel.PORTAL,
        )


@attrs.frozen
class ProviderStart:
    """Where a provider wants the resident sent, and its id for the payment (if it has one)."""

    url: str
    provider_payment_id: str = ""
