"""The summary at the top of the main page: its figures are the settlements' own, its dates
come from configuration, and it counts the meters already read this month."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from access_fixtures import IP, IVANOV, PASSWORD, a_portal
from lk_core.access.sign_in import sign_in
from lk_core.home.main_page import main_page
from lk_core.home.summary import ReadingsWindow, WindowState, summary_of
from lk_core.kernel.money import Money
from lk_core.kernel.periods import Period
from lk_core.kernel.policies import ReadingPolicy
from lk_core.ledger.lines import LedgerLine, Settlement
from lk_core.ledger.settlements import BalanceKind, ServiceSettlement, SettlementView
from lk_core.readings.reading import EntryStatus, ReadingSource
from main_page_fixtures import a_row, load_ledger
from readings_fixtures import COLD_WATER, ELECTRICITY, MARCH, a_reading, history, load_meters

DECEMBER = Period(2026, 12)
ANY_DAY = ReadingPolicy()
FIFTEENTH_TO_25TH = ReadingPolicy(cutoff_day=25, opening_day=15)
amounts = st.integers(min_value=-10_000_000, max_value=10_000_000).map(Money)


def a_view(lines: list[LedgerLine], periods: tuple[Period, ...] = (DECEMBER,)) -> SettlementView:
    period = lines[0].period if lines else DECEMBER
    settlement = Settlement.of("A1", period, lines)
    named = tuple(ServiceSettlement(line, line.service_code) for line in settlement.lines)
    return SettlementView(None, period, periods, named, settlement)  # type: ignore[arg-type]


def a_line(service: str, opening: Money, charged: Money, paid: Money) -> LedgerLine:
    return LedgerLine("A1", DECEMBER, service, opening, charged, Money(0), paid)


def summary_for(lines: list[LedgerLine]):  # type: ignore[no-untyped-def]
    return summary_of(a_view(lines), dt.date(2026, 12, 20), ANY_DAY, 10, (0, 0))


@given(st.lists(st.tuples(amounts, amounts, amounts), min_size=1, max_size=8))
def test_the_summary_agrees_with_the_settlements_to_the_kopeck(
    figures: list[tuple[Money, Money, Money]],
) -> None:
    lines = [a_line(f"S{n}", *amounts) for n, amounts in enumerate(figures)]
    view = a_view(lines)
    assert view.settlement is not None

    summary = summary_for(lines)

    assert summary.closing == view.settlement.closing
    assert summary.to_pay == view.settlement.to_pay
    assert summary.kind is view.closing_kind
    assert summary.to_pay - summary.advance == view.settlement.closing
    assert sum(line.closing.kopecks for line in view.lines) == summary.closing.kopecks
    assert summary.to_pay.kopecks >= 0
    assert summary.advance.kopecks >= 0


def test_a_debt_is_to_be_paid_in_full() -> None:
    summary = summary_for(
        [a_line("SOD", Money(128_879), Money(128_879), Money(100_000)),
         a_line("EE", Money(-5_000), Money(3_000), Money(0))]
    )  # fmt: skip

    assert summary.kind is BalanceKind.DEBT
    assert summary.to_pay == Money(155_758)
    assert summary.advance == Money(0)


def test_an_advance_leaves_nothing_to_pay() -> None:
    summary = summary_for([a_line("SOD", Money(0), Money(1_000), Money(2_501))])

    assert summary.kind is BalanceKind.ADVANCE
    assert summary.to_pay == Money(0)
    assert summary.advance == Money(1_501)


def test_a_settled_period_has_neither_debt_nor_advance() -> None:
    summary = summary_for([a_line("SOD", Money(500), Money(1_000), Money(1_500))])

    assert summary.kind is BalanceKind.SETTLED
    assert summary.to_pay == Money(0)
    assert summary.advance == Money(0)


def test_the_newest_period_is_due_by_the_configured_day_of_the_next_month() -> None:
    summary = summary_for([a_line("SOD", Money(0), Money(1_000), Money(0))])

    assert summary.due == dt.date(2027, 1, 10)
    assert summary.due_ru == "до 10 января"


def test_a_due_day_past_the_month_end_is_its_last_day() -> None:
    january = [LedgerLine("A1", Period(2027, 1), "SOD", Money(0), Money(1))]
    view = a_view(january, (Period(2027, 1),))

    assert summary_of(view, dt.date(2027, 1, 5), ANY_DAY, 31, (0, 0)).due == dt.date(2027, 2, 28)


def test_an_older_period_shows_no_due_date() -> None:
    view = a_view([a_line("SOD", Money(0), Money(1_000), Money(0))], (Period(2027, 1), DECEMBER))

    summary = summary_of(view, dt.date(2027, 1, 20), ANY_DAY, 10, (0, 0))

    assert not summary.is_newest
    assert summary.due is None
    assert summary.due_ru == ""


def test_an_account_without_a_ledger_has_nothing_to_pay() -> None:
    view = SettlementView(None, None, (), (), None)  # type: ignore[arg-type]

    summary = summary_of(view, dt.date(2026, 12, 20), ANY_DAY, 10, (2, 1))

    assert summary.period is None
    assert summary.to_pay == Money(0)
    assert summary.due is None
    assert (summary.readings.meters, summary.readings.meters_read) == (2, 1)


@pytest.mark.parametrize(
    ("day", "state"),
    [(1, WindowState.BEFORE), (14, WindowState.BEFORE), (15, WindowState.OPEN),
     (25, WindowState.OPEN), (26, WindowState.CLOSED), (31, WindowState.CLOSED)],
)  # fmt: skip
def test_the_readings_window_is_before_open_or_closed_by_the_day(
    day: int, state: WindowState
) -> None:
    window = ReadingsWindow.on(dt.date(2026, 12, day), FIFTEENTH_TO_25TH, 3, 1)

    assert window.state is state
    assert window.span_ru == "с 15 по 25 декабря"
    assert window.next_opens == dt.date(2027, 1, 15)


def test_without_a_window_readings_are_taken_any_day() -> None:
    window = ReadingsWindow.on(dt.date(2026, 12, 28), ANY_DAY, 0, 0)

    assert window.state is WindowState.ANY_DAY


def test_a_cut_off_alone_opens_the_window_on_the_first() -> None:
    window = ReadingsWindow.on(dt.date(2026, 2, 26), ReadingPolicy(cutoff_day=25), 1, 0)

    assert window.state is WindowState.CLOSED
    assert window.span_ru == "с 1 по 25 февраля"
    assert window.next_opens == dt.date(2026, 3, 1)


def test_an_opening_day_alone_runs_to_the_month_end() -> None:
    window = ReadingsWindow.on(dt.date(2026, 12, 31), ReadingPolicy(opening_day=20), 1, 0)

    assert window.state is WindowState.OPEN
    assert window.span_ru == "с 20 декабря"


def test_an_opening_day_after_the_cut_off_is_refused() -> None:
    with pytest.raises(ValueError, match="opening_day"):
        ReadingPolicy(cutoff_day=20, opening_day=25)


def test_the_main_page_counts_the_meters_read_this_month_from_what_it_reads() -> None:
    portal = a_portal()
    load_ledger(portal.uow_factory, [a_row(IVANOV, MARCH, "SOD", charged=100)])
    march = [
        a_reading(COLD_WATER, MARCH, "131.000", source=ReadingSource.PORTAL,
                  status=EntryStatus.ACCEPTED),
        a_reading(ELECTRICITY, MARCH, "8100.0", status=EntryStatus.REJECTED),
    ]  # fmt: skip
    load_meters(portal.uow_factory, readings=[*history(), *march])
    portal.register(IVANOV)
    raw = sign_in(portal.ctx, IVANOV, PASSWORD, ip=IP, current_session=None)

    page = main_page(portal.home, raw, None)

    assert page is not None
    readings = page.summary.readings
    assert readings.period == MARCH
    # The pending water reading counts; the rejected electricity one must be passed again.
    assert (readings.meters, readings.meters_read) == (2, 1)
    assert page.summary.to_pay == Money(100)
