"""Bank payment registries (F24): payments made outside the portal, line by line."""

from __future__ import annotations

import datetime as dt
import enum

import attrs

from lk_core.kernel.money import Money
from lk_core.payments.payment import Payment, PaymentChannel


class RegistryOutcome(enum.Enum):
    """What a registry line did when it was loaded."""

    CONFIRMED_ORDER = "order"  # it was the payment of a pending portal order, credited now
    ALREADY_CREDITED = "repeat"  # its order had been credited already (by the provider)
    CREDITED = "credited"  # no portal order: credited as a registry payment
    MISMATCH = "mismatch"  # it names an order it disagrees with: credited alone, reported

    @property
    def label_ru(self) -> str:
        return {
            "order": "подтвердил заказ портала",
            "repeat": "заказ уже был зачислен",
            "credited": "зачислен без заказа",
            "mismatch": "расходится с заказом",
        }[self.value]


@attrs.frozen
class RegistryLine:
    """One payment in a bank's registry; `line_id` is the bank's operation number."""

    bank: str
    line_id: str
    registry: str
    line_no: int
    account_key: str
    paid_on: dt.date
    amount: Money
    order_id: str = ""
    payer: str = ""
    outcome: RegistryOutcome = RegistryOutcome.CREDITED

    @property
    def key(self) -> tuple[str, str]:
        return (self.bank, self.line_id)

    def as_payment(self) -> Payment:
        """The payment a line without a matching order is credited as."""
        return Payment(
            external_id=f"{self.bank}:{self.line_id}",
            account_key=self.account_key,
            paid_on=self.paid_on,
            amount=self.amount,
            channel=PaymentChannel.REGISTRY,
            payer=self.payer,
        )
