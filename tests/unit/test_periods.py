"""Billing periods: calendar months that step, sort, print and parse consistently."""

import calendar
import datetime as dt

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from lk_core.kernel.errors import InvalidValue, PeriodAlreadyClosed, PeriodClosed
from lk_core.kernel.periods import BillingPeriod, Period, PeriodStatus

PERIODS = st.builds(Period, st.integers(2000, 2100), st.integers(1, 12))
FIRST, LAST = Period(2000, 1), Period(2100, 12)


@given(PERIODS)
def test_previous_undoes_next(period):
    assume(period != LAST)
    assert period.next().previous() == period


@given(PERIODS)
def test_next_undoes_previous(period):
    assume(period != FIRST)
    assert period.previous().next() == period


@given(PERIODS)
def test_next_period_starts_the_day_after_this_one_ends(period):
    assume(period != LAST)
    days_in_month = calendar.monthrange(period.year, period.month)[1]
    last_day = dt.date(period.year, period.month, days_in_month)
    assert period.next().first_day() == last_day + dt.timedelta(days=1)


@given(PERIODS)
def test_code_round_trips(period):
    assert Period.from_code(period.code) == period
    assert period.code == int(f"{period.year:04d}{period.month:02d}")


@pytest.mark.parametrize("code", [202613, 202600, 199912, 210101])
def test_a_code_of_no_month_is_refused_every_time_it_is_read(code):
    for _ in range(2):  # codes are remembered once read: a refusal is not
        with pytest.raises(ValueError, match="must be"):
            Period.from_code(code)


@given(PERIODS, PERIODS)
def test_periods_are_ordered_as_their_codes_and_their_first_days(a, b):
    assert (a < b) == (a.code < b.code) == (a.first_day() < b.first_day())
    assert (a == b) == (a.code == b.code)


@given(PERIODS)
def test_period_parses_back_from_its_back_office_and_qr_forms(period):
    assert Period.parse(str(period)) == period
    assert Period.parse(period.qr_form) == period


@given(st.dates(dt.date(2000, 1, 1), dt.date(2100, 12, 31)))
def test_period_of_a_day_is_the_month_it_falls_in(day):
    period = Period.of(day)
    assert period.first_day() <= day
    assert period.first_day() == day.replace(day=1)


def test_period_is_printed_for_the_back_office_residents_and_qr_codes():
    period = Period(2026, 10)
    assert str(period) == "2026-10"
    assert period.qr_form == "10.2026"
    assert period.label_ru == "октябрь 2026"
    assert Period(2027, 1).label_ru == "январь 2027"
    assert period.code == 202610


def test_december_is_followed_by_january_of_the_next_year():
    assert Period(2026, 12).next() == Period(2027, 1)
    assert Period(2027, 1).previous() == Period(2026, 12)


@pytest.mark.parametrize(
    ("text", "period"),
    [("2026-10", Period(2026, 10)), ("2026-1", Period(2026, 1)), (" 10.2026 ", Period(2026, 10))],
)
def test_period_is_read_in_either_written_form(text, period):
    assert Period.parse(text) == period


@pytest.mark.parametrize("text", ["", "2026/10", "октябрь 2026", "202610", "26-10", "10-2026"])
def test_text_that_is_not_a_period_is_refused(text):
    with pytest.raises(InvalidValue) as refused:
        Period.parse(text)
    assert refused.value.field == "period"
    assert refused.value.message_ru == f"«{text}» — не период; ожидается ГГГГ-ММ"


@pytest.mark.parametrize("text", ["2026-13", "2026-0", "13.2026", "1999-12", "2101-01"])
def test_month_that_does_not_exist_is_refused(text):
    with pytest.raises(InvalidValue) as refused:
        Period.parse(text)
    assert refused.value.message_ru == f"«{text}» — нет такого месяца"


def test_billing_period_is_open_until_closed():
    billing = BillingPeriod(Period(2026, 10))
    assert billing.status is PeriodStatus.OPEN
    assert not billing.is_closed
    at = dt.datetime(2026, 11, 1, 3, tzinfo=dt.UTC)
    billing.close(at)
    assert billing.is_closed
    assert billing.closed_at == at


def test_closed_period_cannot_be_closed_again():
    first = dt.datetime(2026, 11, 1, 3, tzinfo=dt.UTC)
    billing = BillingPeriod(Period(2026, 10))
    billing.close(first)
    with pytest.raises(PeriodAlreadyClosed) as refused:
        billing.close(first + dt.timedelta(hours=1))
    assert isinstance(refused.value, PeriodClosed)
    assert refused.value.message_ru == "Период октябрь 2026 закрыт: изменения в нём невозможны"
    assert billing.closed_at == first
