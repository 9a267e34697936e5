"""The company's working calendar and the deadlines (SLA) counted on it.

A deadline in working hours counts only the hours of the working day (09:00–18:00 by
default) on working days; a deadline in working days ends with the working day it falls
on, counted from the day after the request (the civil code's rule for periods, ГК РФ
ст. 191). Days off are Saturdays and Sundays, the public holidays of the Labour Code
(ТК РФ ст. 112) and the dates configuration adds, except the weekends the government
moves to working days. All arithmetic is in the company's local time; callers pass and
receive aware datetimes.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import attrs

# ТК РФ ст. 112: 1–6 and 8 January (New Year holidays), 7 January, 23 February, 8 March,
# 1 and 9 May, 12 June, 4 November.
RUSSIAN_PUBLIC_HOLIDAYS: frozenset[tuple[int, int]] = frozenset(
    {(1, day) for day in range(1, 9)} | {(2, 23), (3, 8), (5, 1), (5, 9), (6, 12), (11, 4)}
)


@attrs.frozen
class Sla:
    """How long a category may take: working hours, or working days, never both."""

    working_hours: int = 0
    working_days: int = 0

    def __attrs_post_init__(self) -> None:
        if self.working_hours < 0 or self.working_days < 0:
            raise ValueError("an SLA cannot be negative")
        if (self.working_hours > 0) == (self.working_days > 0):
            raise ValueError("an SLA is either working hours or working days")

    @classmethod
    def parse(cls, text: str) -> Sla:
        """`8h` (working hours) or `3d` (working days), as configuration writes them."""
        number, unit = text[:-1].strip(), text[-1:].lower()
        if not number.isdigit() or unit not in ("h", "d"):
            raise ValueError(f"an SLA is written as 8h or 3d, not {text!r}")
        return cls(working_hours=int(number)) if unit == "h" else cls(working_days=int(number))

    def __str__(self) -> str:
        return f"{self.working_hours}h" if self.working_hours else f"{self.working_days}d"


@attrs.frozen
class WorkingCalendar:
    """Which days are worked, and the hours of a working day, in the company's zone."""

    time_zone: str = "Europe/Moscow"
    day_starts: dt.time = dt.time(9, 0)
    day_ends: dt.time = dt.time(18, 0)
    recurring_holidays: frozenset[tuple[int, int]] = RUSSIAN_PUBLIC_HOLIDAYS
    # Days off the government's yearly decree adds (moved weekends, 31 December).
    extra_days_off: frozenset[dt.date] = frozenset()
    # Saturdays and Sundays the decree makes working days.
    extra_working_days: frozenset[dt.date] = frozenset()

    def __attrs_post_init__(self) -> None:
        if self.day_ends <= self.day_starts:
            raise ValueError("a working day ends after it starts")
        ZoneInfo(self.time_zone)

    def is_working_day(self, day: dt.date) -> bool:
        """Whether the day is worked: a weekday that is no holiday, or a moved weekend."""
        if day in self.extra_working_days:
            return True
        if day in self.extra_days_off or (day.month, day.day) in self.recurring_holidays:
            return False
        return day.weekday() < 5

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day after `day`."""
        day += dt.timedelta(days=1)
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def add_working_hours(self, start: dt.datetime, hours: int) -> dt.datetime:
        """The moment `hours` working hours after `start`; a start outside working time
        counts from the next working day's start."""
        zone = ZoneInfo(self.time_zone)
        local = start.astimezone(zone)
        remaining = dt.timedelta(hours=hours)
        day, clock = local.date(), local.time().replace(tzinfo=None)
        if not self.is_working_day(day) or clock >= self.day_ends:
            day, clock = self.next_working_day(day), self.day_starts
        clock = max(clock, self.day_starts)
        while True:
            opens = dt.datetime.combine(day, clock, zone)
            closes = dt.datetime.combine(day, self.day_ends, zone)
            if remaining <= closes - opens:
                return (opens + remaining).astimezone(start.tzinfo)
            remaining -= closes - opens
            day, clock = self.next_working_day(day), self.day_starts

    def add_working_days(self, start: dt.datetime, days: int) -> dt.datetime:
        """The end of the working day that is the `days`-th after the day of `start`."""
        zone = ZoneInfo(self.time_zone)
        day = start.astimezone(zone).date()
        for _ in range(days):
            day = self.next_working_day(day)
        return dt.datetime.combine(day, self.day_ends, zone).astimezone(start.tzinfo)

    def deadline(self, start: dt.datetime, sla: Sla) -> dt.datetime:
        """When a request made at `start` with that SLA falls overdue."""
        if sla.working_hours:
            return self.add_working_hours(start, sla.working_hours)
        return self.add_working_days(start, sla.working_days)
