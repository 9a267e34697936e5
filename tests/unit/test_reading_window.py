"""The submission window: after the cut-off day, readings count toward the next period."""

import datetime as dt

import pytest

from lk_core.kernel.periods import Period
from lk_core.readings.window import SubmissionWindow


@pytest.mark.parametrize("day", [1, 15, 31])
def test_without_a_cutoff_day_every_day_counts_toward_this_month(day: int) -> None:
    window = SubmissionWindow.on(dt.date(2026, 12, day), None)

    assert (window.period, window.after_cutoff) == (Period(2026, 12), False)


def test_the_cutoff_day_itself_still_counts_toward_this_month() -> None:
    assert SubmissionWindow.on(dt.date(2026, 11, 25), 25).period == Period(2026, 11)


def test_after_the_cutoff_day_readings_count_toward_the_next_month_across_the_year() -> None:
    window = SubmissionWindow.on(dt.date(2026, 12, 26), 25)

    assert (window.period, window.after_cutoff) == (Period(2027, 1), True)
