"""The single payment document (ЕПД, F11): what a receipt says, before any drawing.

The sections follow the sample form of Order 43/пр (REGULATIONS.md); a renderer only
lays them out. Amounts are Money, volumes and readings Decimal; nothing here is formatted.
"""

from __future__ import annotations

from decimal import Decimal

import attrs

from lk_core.accounts.account import Account, House
from lk_core.kernel.company import Company
from lk_core.kernel.money import Money
from lk_core.kernel.periods import Period
from lk_core.ledger.lines import Settlement
from lk_core.receipts.payment_qr import PaymentRequest, payment_payload


@attrs.frozen
class ReceiptLine:
    """Section 3: one service's calculation."""

    service: str
    unit: str
    volume: Decimal | None
    tariff: Decimal | None
    charged: Money
    recalculation: Money
    to_pay: Money


@attrs.frozen
class MeterLine:
    """A meter's values: previous and current reading of one tariff zone."""

    service: str
    serial: str
    zone: str
    unit: str
    previous: Decimal | None
    current: Decimal | None


@attrs.frozen
class Recalculation:
    """Section 6: a recalculation and its ground."""

    service: str
    amount: Money
    ground: str


@attrs.frozen
class ReceiptDocument:
    """Everything one account's receipt for one period shows."""

    company: Company
    account: Account
    house: House | None
    period: Period
    lines: tuple[ReceiptLine, ...]
    individual_meters: tuple[MeterLine, ...]
    common_meters: tuple[MeterLine, ...]
    recalculations: tuple[Recalculation, ...]
    opening: Money
    charged: Money
    recalculation: Money
    paid: Money
    closing: Money
    to_pay: Money

    @property
    def document_id(self) -> str:
        """The payment document id (идентификатор платёжного документа): account and month."""
        return f"{self.account.key}-{self.period.code}"

    @property
    def payment_request(self) -> PaymentRequest:
        return PaymentRequest(self.company, str(self.account.number), self.period, self.to_pay)

    @property
    def qr_payload(self) -> str:
        return payment_payload(self.payment_request)

    @property
    def address(self) -> str:
        street = self.house.address if self.house is not None else ""
        return f"{street}, кв. {self.account.flat}" if self.account.flat else street


def receipt_lines(settlement: Settlement, names: dict[str, tuple[str, str]]) -> list[ReceiptLine]:
    """Section 3 from the ledger: `names` maps a service code to its name and unit."""
    lines = []
    for line in settlement.lines:
        name, unit = names.get(line.service_code, (line.service_code, ""))
        lines.append(
            ReceiptLine(
                name,
                unit,
                line.volume,
                line.tariff,
                line.charged,
                line.recalculation,
                line.charged + line.recalculation,
            )
        )
    return lines


def recalculations(
    settlement: Settlement, names: dict[str, tuple[str, str]]
) -> list[Recalculation]:
    """Section 6: every non-zero recalculation with its ground."""
    return [
        Recalculation(
            names.get(line.service_code, (line.service_code, ""))[0],
            line.recalculation,
            line.recalculation_reason or "—",
        )
        for line in settlement.lines
        if line.recalculation
    ]
