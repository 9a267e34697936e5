"""The ledger: per account, period and service, what was owed, charged and paid.

The identity `closing = opening + charged + recalculation − paid` holds for every
line by construction: the closing balance is derived, never stored apart from it.
A positive balance is a debt, a negative one an advance (переплата).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from functools import cached_property

import attrs

from lk_core.kernel.errors import InvalidValue
from lk_core.kernel.money import Money, total
from lk_core.kernel.periods import Period
from lk_core.ledger.errors import LedgerIdentityBroken

ZERO = Money(0)


@attrs.frozen
class LedgerLine:
    """One service's settlement for an account in a period (строка начислений)."""

    account_key: str
    period: Period
    service_code: str
    opening: Money
    charged: Money
    recalculation: Money = ZERO
    paid: Money = ZERO
    volume: Decimal | None = None
    tariff: Decimal | None = None
    recalculation_reason: str = ""

    def __attrs_post_init__(self) -> None:
        if self.volume is not None and self.volume < 0:
            raise InvalidValue("volume", self.volume, "Объём не может быть отрицательным")
        if self.tariff is not None and self.tariff < 0:
            raise InvalidValue("tariff", self.tariff, "Тариф не может быть отрицательным")

    @cached_property  # derived once per line: the main page reads it a dozen times
    def closing(self) -> Money:
        return self.opening + self.charged + self.recalculation - self.paid

    def check_stated_closing(self, stated: Money) -> None:
        """Billing files state the closing balance too; it must agree to the kopeck."""
        if stated != self.closing:
            raise LedgerIdentityBroken(stated.kopecks, self.closing.kopecks)


@attrs.frozen
class Settlement:
    """An account's settlements for one period: the lines and their totals (F9)."""

    account_key: str
    period: Period
    lines: tuple[LedgerLine, ...]

    @classmethod
    def of(cls, account_key: str, period: Period, lines: Iterable[LedgerLine]) -> Settlement:
        ordered = tuple(sorted(lines, key=lambda line: line.service_code))
        codes = [line.service_code for line in ordered]
        if len(set(codes)) != len(codes):
            raise InvalidValue("ledger_line", codes, "Услуга встречается в периоде дважды")
        for line in ordered:
            if line.account_key != account_key or line.period != period:
                raise InvalidValue(
                    "ledger_line", line, "Строка относится к другому счёту или периоду"
                )
        return cls(account_key, period, ordered)

    @cached_property
    def opening(self) -> Money:
        return total([line.opening for line in self.lines])

    @cached_property
    def charged(self) -> Money:
        return total([line.charged for line in self.lines])

    @cached_property
    def recalculation(self) -> Money:
        return total([line.recalculation for line in self.lines])

    @cached_property
    def paid(self) -> Money:
        return total([line.paid for line in self.lines])

    @cached_property
    def closing(self) -> Money:
        return total([line.closing for line in self.lines])

    @cached_property
    def to_pay(self) -> Money:
        """What the resident is asked to pay: the debt, never a negative amount."""
        return self.closing if self.closing.kopecks > 0 else Money(0)


# The bulk form of a ledger line: account key, period code (YYYYMM), service code,
# opening, charged, recalculation, paid (kopecks), volume, tariff (exact decimal text
# with a point, e.g. "12.345", or None), recalculation reason. Ledger files run to
# millions of lines, so they travel as tuples, not entities (ADR 0006); the rules are
# those of `LedgerLine`, checked where billing's files are read.
LedgerRow = tuple[str, int, str, int, int, int, int, str | None, str | None, str]
