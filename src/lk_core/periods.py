"""Billing periods (отчётный период): a year-month that is open, then closed."""

from __future__ import annotations

import datetime as dt
import enum
import functools
import re
from collections.abc import Callable
from typing import Any, Self, cast

import attrs

from lk_core.kernel.errors import InvalidValue, PeriodAlreadyClosed

MONTHS_RU = (
    "январь", "февраль", "март", "апрель", "май", "июнь",
    "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь",
)  # fmt: skip

_ISO = re.compile(r"^(\d{4})-(\d{1,2})$")
_RU = re.compile(r"^(\d{1,2})\.(\d{4})$")


def _in_range(lo: int, hi: int) -> Callable[[Any, attrs.Attribute[int], int], None]:
    return attrs.validators.and_(attrs.validators.ge(lo), attrs.validators.le(hi))


@attrs.frozen(order=True)
class Period:
    """A calendar month of billing, ordered in time."""

    year: int = attrs.field(validator=_in_range(2000, 2100))
    month: int = attrs.field(validator=_in_range(1, 12))

    @classmethod
    def parse(cls, text: str) -> Self:
        """`2026-10` (back office) or `10.2026` (receipts, QR codes)."""
        value = text.strip()
        if match := _ISO.match(value):
            year, month = int(match[1]), int(match[2])
        elif match := _RU.match(value):
            month, year = int(match[1]), int(match[2])
        else:
            raise InvalidValue("period", text, f"«{text}» — не период; ожидается ГГГГ-ММ")
        if not (1 <= month <= 12 and 2000 <= year <= 2100):
            raise InvalidValue("period", text, f"«{text}» — нет такого месяца")
        return cls(year, month)

    @classmethod
    def of(cls, day: dt.date) -> Self:
        return cls(day.year, day.month)

    @classmethod
    def from_code(cls, code: int) -> Self:
        """Inverse of `code`: 202610 → October 2026 (one shared frozen value per code: every
        main page reads a dozen of them back)."""
        if cls is Period:
            return cast(Self, _period_of_code(code))
        return cls(code // 100, code % 100)

    @property
    def code(self) -> int:
        """A sortable integer key, YYYYMM, used in storage and files."""
        return self.year * 100 + self.month

    def next(self) -> Period:
        return Period(self.year + self.month // 12, self.month % 12 + 1)

    def previous(self) -> Period:
        return Period(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label_ru(self) -> str:
        """`октябрь 2026`."""
        return f"{MONTHS_RU[self.month - 1]} {self.year}"

    @property
    def qr_form(self) -> str:
        """`10.2026`, as GOST R 56042 `PaymPeriod` wants it."""
        return f"{self.month:02d}.{self.year:04d}"


@functools.lru_cache(maxsize=4096)
def _period_of_code(code: int) -> Period:
    return Period(code // 100, code % 100)


class PeriodStatus(enum.Enum):
    OPEN = "open"
    CLOSED = "closed"


@attrs.define
class BillingPeriod:
    """A period's state in the company: billing data flows in while it is open."""

    period: Period
    status: PeriodStatus = PeriodStatus.OPEN
    closed_at: dt.datetime | None = None

    @property
    def is_closed(self) -> bool:
        return self.status is PeriodStatus.CLOSED

    def close(self, at: dt.datetime) -> None:
        if self.is_closed:
            raise PeriodAlreadyClosed(self.period.label_ru)
        self.status = PeriodStatus.CLOSED
        self.closed_at = at
