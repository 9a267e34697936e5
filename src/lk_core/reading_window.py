"""The submission window: which period a reading submitted today counts toward.

Decree 354 bills with readings received by the 25th unless the contract sets another
day; the day is configuration (`ReadingPolicy.cutoff_day`). After it, a reading counts
toward the next period. Without a cut-off day every reading counts toward this month.
"""

from __future__ import annotations

import datetime as dt

import attrs

from lk_core.kernel.periods import Period


@attrs.frozen
class SubmissionWindow:
    """The period readings go to today, and whether today is past the cut-off day."""

    period: Period
    cutoff_day: int | None
    after_cutoff: bool

    @classmethod
    def on(cls, today: dt.date, cutoff_day: int | None) -> SubmissionWindow:
        this_month = Period.of(today)
        if cutoff_day is not None and today.day > cutoff_day:
            return cls(this_month.next(), cutoff_day, after_cutoff=True)
        return cls(this_month, cutoff_day, after_cutoff=False)
