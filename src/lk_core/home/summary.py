"""The summary at the top of the main page: what is to be paid, by when, and the readings.

Residents open the portal to learn what they owe, to pay it and to pass their readings;
the summary says all three in a few lines (ADR 0067). Its amounts are the settlements'
own (the shown period's closing balance), never summed again, so they cannot disagree.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum

import attrs

from lk_core.kernel.money import Money
from lk_core.kernel.periods import Period
from lk_core.kernel.policies import ReadingPolicy
from lk_core.ledger.settlements import BalanceKind, SettlementView

MONTHS_GENITIVE_RU = (
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
)  # fmt: skip


def day_month_ru(day: dt.date) -> str:
    """`10 января`."""
    return f"{day.day} {MONTHS_GENITIVE_RU[day.month - 1]}"


def _day_of(period: Period, day: int) -> dt.date:
    """The `day` of the period's month, or its last day when the month is shorter."""
    last = calendar.monthrange(period.year, period.month)[1]
    return dt.date(period.year, period.month, min(day, last))


class WindowState(enum.Enum):
    """Where today falls against the company's readings window."""

    ANY_DAY = "any_day"  # no window configured: readings are taken every day
    BEFORE = "before"
    OPEN = "open"
    CLOSED = "closed"  # past the cut-off day: this month's readings are no longer taken


@attrs.frozen
class ReadingsWindow:
    """This month's readings window as of today, and how many meters have a reading in it."""

    period: Period
    state: WindowState
    opens: dt.date
    closes: dt.date | None  # None: to the end of the month
    next_opens: dt.date
    meters: int
    meters_read: int

    @classmethod
    def on(
        cls, today: dt.date, policy: ReadingPolicy, meters: int, meters_read: int
    ) -> ReadingsWindow:
        period = Period.of(today)
        opens = _day_of(period, policy.opening_day or 1)
        closes = None if policy.cutoff_day is None else _day_of(period, policy.cutoff_day)
        next_opens = _day_of(period.next(), policy.opening_day or 1)
        if policy.cutoff_day is None and policy.opening_day is None:
            state = WindowState.ANY_DAY
        elif today < opens:
            state = WindowState.BEFORE
        elif closes is not None and today > closes:
            state = WindowState.CLOSED
        else:
            state = WindowState.OPEN
        return cls(period, state, opens, closes, next_opens, meters, meters_read)

    @property
    def next_opens_ru(self) -> str:
        """`15 января`: when next month's window opens."""
        return day_month_ru(self.next_opens)

    @property
    def span_ru(self) -> str:
        """`с 15 по 25 декабря`; `с 15 декабря` when it runs to the month's end."""
        if self.closes is None:
            return f"с {day_month_ru(self.opens)}"
        if self.opens.month == self.closes.month:
            return f"с {self.opens.day} по {day_month_ru(self.closes)}"
        return f"с {day_month_ru(self.opens)} по {day_month_ru(self.closes)}"


@attrs.frozen
class HomeSummary:
    """The shown period's amount to pay and its due date, and the readings window."""

    period: Period | None  # None: the account has no ledger yet
    is_newest: bool
    closing: Money  # the period's closing balance: positive a debt, negative an advance
    due: dt.date | None  # the newest period's due date; None for an older one
    readings: ReadingsWindow

    @property
    def kind(self) -> BalanceKind:
        return BalanceKind.of(self.closing)

    @property
    def to_pay(self) -> Money:
        return self.closing if self.closing.kopecks > 0 else Money(0)

    @property
    def advance(self) -> Money:
        return -self.closing if self.closing.kopecks < 0 else Money(0)

    @property
    def due_ru(self) -> str:
        return "" if self.due is None else f"до {day_month_ru(self.due)}"


def summary_of(
    view: SettlementView,
    today: dt.date,
    reading_policy: ReadingPolicy,
    payment_due_day: int,
    meters: tuple[int, int],
) -> HomeSummary:
    """The summary of a settlements view as of `today`; `meters`: the account's meters in
    use and how many of them have a reading this month."""
    window = ReadingsWindow.on(today, reading_policy, *meters)
    settlement = view.settlement
    period = view.period
    if settlement is None or period is None:
        return HomeSummary(None, True, Money(0), None, window)
    is_newest = bool(view.periods) and view.periods[0] == period
    due = _day_of(period.next(), payment_due_day) if is_newest else None
    return HomeSummary(period, is_newest, settlement.closing, due, window)
