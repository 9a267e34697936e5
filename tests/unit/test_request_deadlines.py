"""SLA arithmetic: deadlines count working hours and working days, skipping weekends and
Russian public holidays, in the company's time zone."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lk_core.requests import Sla, WorkingCalendar

MSK = ZoneInfo("Europe/Moscow")
CALENDAR = WorkingCalendar()


def msk(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=MSK)


def test_hours_within_one_working_day_are_added_as_they_are() -> None:
    # Tuesday 1 December 2026, 10:00
    assert CALENDAR.add_working_hours(msk(2026, 12, 1, 10), 4) == msk(2026, 12, 1, 14)


def test_hours_past_the_end_of_the_day_continue_the_next_morning() -> None:
    assert CALENDAR.add_working_hours(msk(2026, 12, 1, 16), 4) == msk(2026, 12, 2, 11)


def test_a_friday_evening_request_counts_from_monday_morning() -> None:
    # Friday 4 December 2026, 20:00 → Monday 7 December, 09:00 + 8 h
    assert CALENDAR.add_working_hours(msk(2026, 12, 4, 20), 8) == msk(2026, 12, 7, 17)


def test_a_request_before_the_day_starts_counts_from_its_start() -> None:
    assert CALENDAR.add_working_hours(msk(2026, 12, 1, 6), 1) == msk(2026, 12, 1, 10)


def test_new_year_holidays_are_skipped() -> None:
    # Wednesday 30 December 2026, 17:00; 1–8 January are days off; Saturday 9, Sunday 10.
    calendar = WorkingCalendar(extra_days_off=frozenset({dt.date(2026, 12, 31)}))
    assert calendar.add_working_hours(msk(2026, 12, 30, 17), 2) == msk(2027, 1, 11, 10)


def test_a_holiday_on_a_weekday_is_not_worked() -> None:
    # Thursday 12 June 2025 (Russia Day), Friday 13 June is a working day.
    assert not CALENDAR.is_working_day(dt.date(2025, 6, 12))
    assert CALENDAR.add_working_hours(msk(2025, 6, 11, 17), 2) == msk(2025, 6, 13, 10)


def test_a_weekend_the_decree_makes_working_is_worked() -> None:
    saturday = dt.date(2025, 11, 1)  # worked instead of Monday 3 November 2025
    calendar = WorkingCalendar(
        extra_working_days=frozenset({saturday}), extra_days_off=frozenset({dt.date(2025, 11, 3)})
    )
    assert calendar.is_working_day(saturday)
    assert calendar.add_working_hours(msk(2025, 10, 31, 17), 2) == msk(2025, 11, 1, 10)
    # Friday 31 October 17:00 + 11 h: 1 h Friday, 9 h Saturday, then Tuesday (3rd off, 4th holiday)
    assert calendar.add_working_hours(msk(2025, 10, 31, 17), 11) == msk(2025, 11, 5, 10)


def test_working_days_end_with_the_nth_working_day_after_the_request() -> None:
    # Made Thursday 3 December 2026: day 1 is Friday 4, day 2 is Monday 7.
    assert CALENDAR.add_working_days(msk(2026, 12, 3, 12), 2) == msk(2026, 12, 7, 18)


def test_working_days_skip_may_holidays() -> None:
    # Thursday 30 April 2026; 1 May (Friday) is a holiday: day 1 is Monday 4 May.
    assert CALENDAR.add_working_days(msk(2026, 4, 30, 9), 1) == msk(2026, 5, 4, 18)


def test_a_deadline_keeps_the_time_zone_it_was_asked_in() -> None:
    start = msk(2026, 12, 1, 10).astimezone(dt.UTC)
    deadline = CALENDAR.deadline(start, Sla(working_hours=4))
    assert deadline.tzinfo is dt.UTC
    assert deadline == msk(2026, 12, 1, 14)


@pytest.mark.parametrize(
    ("text", "sla"), [("8h", Sla(working_hours=8)), ("3d", Sla(working_days=3))]
)
def test_an_sla_is_read_from_configuration(text: str, sla: Sla) -> None:
    assert Sla.parse(text) == sla
    assert str(sla) == text


@pytest.mark.parametrize("text", ["", "8", "h", "-1h", "2w", "0h"])
def test_a_malformed_sla_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="SLA"):
        Sla.parse(text)


@given(
    start=st.datetimes(
        min_value=dt.datetime(2025, 1, 1),  # noqa: DTZ001 (hypothesis adds the zone)
        max_value=dt.datetime(2028, 12, 31),  # noqa: DTZ001
        timezones=st.just(MSK),
    ),
    hours=st.integers(min_value=1, max_value=200),
)
def test_a_deadline_falls_within_working_time_and_counts_exactly_the_hours(
    start: dt.datetime, hours: int
) -> None:
    deadline = CALENDAR.add_working_hours(start, hours)
    local = deadline.astimezone(MSK)
    assert CALENDAR.is_working_day(local.date())
    assert dt.time(9) < local.time() <= dt.time(18)
    # Summing the working time of each day between the start and the deadline gives
    # exactly the hours asked for.
    worked = dt.timedelta(0)
    cursor = start.astimezone(MSK)
    day = cursor.date()
    while day <= local.date():
        if CALENDAR.is_working_day(day):
            opens = dt.datetime.combine(day, dt.time(9), MSK)
            closes = dt.datetime.combine(day, dt.time(18), MSK)
            begin = max(opens, cursor)
            end = min(closes, local)
            if end > begin:
                worked += end - begin
        day += dt.timedelta(days=1)
    assert worked == dt.timedelta(hours=hours)
