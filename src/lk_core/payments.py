"""Payments received for an account, whatever the channel they came through."""

from __future__ import annotations

import datetime as dt
import enum

import attrs

from lk_core.kernel.errors import InvalidValue
from lk_core.kernel.money import Money


class PaymentChannel(enum.Enum):
    BILLING = "billing"
    REGISTRY = "registry"
    PORTAL = "portal"

    @property
    def label_ru(self) -> str:
        return {"billing": "Касса / банк", "registry": "Реестр банка", "portal": "Онлайн"}[
            self.value
        ]


@attrs.frozen
class Payment:
    """A payment credited to an account; `external_id` is unique per source, so a
    payment seen twice is credited once."""

    external_id: str
    account_key: str
    paid_on: dt.date
    amount: Money
    channel: PaymentChannel
    payer: str = ""

    def __attrs_post_init__(self) -> None:
        if not self.external_id:
            raise InvalidValue("payment_id", self.external_id, "Не указан номер платежа")
        if self.amount.kopecks <= 0:
            raise InvalidValue("amount", self.amount, "Сумма платежа должна быть больше нуля")
