"""The main page's settlements (F9): one period per service, totals, debt and advance."""

from __future__ import annotations

from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from access_fixtures import IVANOV, PETROVA, SEMENOV, Portal, a_portal
from lk_core.kernel.errors import NotFound
from lk_core.kernel.money import Money, total
from lk_core.kernel.periods import Period
from lk_core.ledger.services import Service
from lk_core.ledger.settlements import BalanceKind, settlement_page
from lk_core.unit_of_work import UnitOfWork
from main_page_fixtures import (
    EARLIER,
    NEWEST,
    OLDEST,
    SERVICE_NAMES,
    SERVICES,
    a_row,
    load_ledger,
    three_periods_of_rows,
)


@pytest.fixture
def portal() -> Portal:
    portal = a_portal()
    load_ledger(
        portal.uow_factory, [*three_periods_of_rows(IVANOV), *three_periods_of_rows(PETROVA)]
    )
    return portal


def test_the_newest_period_is_shown_by_default_with_the_periods_newest_first(
    portal: Portal,
) -> None:
    view = settlement_page(portal.ctx, IVANOV, None)

    assert view.period == NEWEST
    assert view.periods == (NEWEST, EARLIER, OLDEST)
    assert view.account.key == IVANOV
    assert [line.line.period for line in view.lines] == [NEWEST] * 3


def test_each_line_carries_its_service_name_and_unit_in_name_order(portal: Portal) -> None:
    view = settlement_page(portal.ctx, IVANOV, None)

    assert [(line.service_name, line.unit) for line in view.lines] == [
        ("Содержание и ремонт МКД", "м²"),
        ("Холодное водоснабжение", "м³"),
        ("Электроэнергия", "кВт·ч"),
    ]
    assert all(SERVICE_NAMES[line.line.service_code] == line.service_name for line in view.lines)


def test_the_lines_show_the_ledger_to_the_kopeck(portal: Portal) -> None:
    view = settlement_page(portal.ctx, IVANOV, None)

    water = next(line for line in view.lines if line.line.service_code == "HVS")
    assert water.opening == Money(8_649)
    assert water.charged == Money(42_273)
    assert water.recalculation == Money(-1_234)
    assert water.paid == Money(8_649)
    assert water.closing == Money(41_039)
    assert water.line.recalculation_reason == "Перерасчёт по показаниям за сентябрь"
    assert water.volume_ru == "9,455"


def test_the_totals_are_the_sums_of_the_lines(portal: Portal) -> None:
    view = settlement_page(portal.ctx, IVANOV, None)

    assert view.settlement is not None
    totals = view.settlement
    assert totals.opening == total([line.opening for line in view.lines]) == Money(89_621)
    assert totals.charged == total([line.charged for line in view.lines]) == Money(272_872)
    assert totals.recalculation == total([line.recalculation for line in view.lines])
    assert totals.paid == total([line.paid for line in view.lines]) == Money(108_649)
    assert totals.closing == total([line.closing for line in view.lines]) == Money(252_610)
    assert totals.to_pay == Money(252_610)


AMOUNTS = st.integers(min_value=-(10**9), max_value=10**9)


@given(
    amounts=st.lists(
        st.tuples(AMOUNTS, AMOUNTS, AMOUNTS, AMOUNTS), min_size=1, max_size=len(SERVICES)
    )
)
def test_for_any_ledger_the_totals_are_the_sums_and_close_by_the_identity(
    amounts: list[tuple[int, int, int, int]],
) -> None:
    portal = a_portal()
    rows = [
        a_row(IVANOV, NEWEST, service.code, opening=o, charged=c, recalculation=r, paid=p)
        for service, (o, c, r, p) in zip(SERVICES, amounts, strict=False)
    ]
    load_ledger(portal.uow_factory, rows)

    view = settlement_page(portal.ctx, IVANOV, NEWEST)

    assert view.settlement is not None
    assert view.settlement.opening.kopecks == sum(o for o, _, _, _ in amounts)
    assert view.settlement.charged.kopecks == sum(c for _, c, _, _ in amounts)
    assert view.settlement.recalculation.kopecks == sum(r for _, _, r, _ in amounts)
    assert view.settlement.paid.kopecks == sum(p for _, _, _, p in amounts)
    assert view.settlement.closing == (
        view.settlement.opening
        + view.settlement.charged
        + view.settlement.recalculation
        - view.settlement.paid
    )
    assert view.settlement.to_pay.kopecks == max(0, view.settlement.closing.kopecks)


def test_an_earlier_period_can_be_chosen(portal: Portal) -> None:
    view = settlement_page(portal.ctx, IVANOV, EARLIER)

    assert view.period == EARLIER
    assert view.periods == (NEWEST, EARLIER, OLDEST)
    assert {line.line.service_code for line in view.lines} == {"SOD", "HVS", "EE"}
    assert all(line.line.period == EARLIER for line in view.lines)
    assert view.settlement is not None
    assert view.settlement.closing == Money(89_621)


def test_a_period_the_account_has_no_ledger_for_is_not_found(portal: Portal) -> None:
    with pytest.raises(NotFound):
        settlement_page(portal.ctx, IVANOV, Period(2026, 11))
    with pytest.raises(NotFound):
        settlement_page(portal.ctx, IVANOV, Period(2019, 1))


def test_an_unknown_account_is_not_found(portal: Portal) -> None:
    with pytest.raises(NotFound):
        settlement_page(portal.ctx, "999999", None)


def test_an_account_without_a_ledger_gets_an_empty_view(portal: Portal) -> None:
    view = settlement_page(portal.ctx, SEMENOV, None)

    assert view.account.key == SEMENOV
    assert view.period is None
    assert view.periods == ()
    assert view.lines == ()
    assert view.settlement is None
    assert not view.has_ledger
    with pytest.raises(NotFound):
        settlement_page(portal.ctx, SEMENOV, NEWEST)


def test_another_accounts_ledger_is_never_mixed_in(portal: Portal) -> None:
    load_ledger(portal.uow_factory, [a_row(SEMENOV, NEWEST, "SOD", charged=777_77)])

    mine = settlement_page(portal.ctx, IVANOV, NEWEST)
    theirs = settlement_page(portal.ctx, SEMENOV, NEWEST)

    assert {line.line.account_key for line in mine.lines} == {IVANOV}
    assert [line.charged for line in theirs.lines] == [Money(777_77)]
    assert theirs.periods == (NEWEST,)


def test_a_service_missing_from_the_catalogue_is_shown_by_its_code() -> None:
    portal = a_portal()
    load_ledger(
        portal.uow_factory,
        [a_row(IVANOV, NEWEST, "KAP", charged=51_461), a_row(IVANOV, NEWEST, "SOD", charged=1)],
        services=[Service("SOD", "Содержание и ремонт МКД", "м²")],
    )

    view = settlement_page(portal.ctx, IVANOV, None)

    assert [(line.service_name, line.unit) for line in view.lines] == [
        ("KAP", ""),
        ("Содержание и ремонт МКД", "м²"),
    ]


# --- debt and advance -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kopecks", "kind", "label"),
    [(1, BalanceKind.DEBT, "долг"), (-1, BalanceKind.ADVANCE, "аванс"),
     (0, BalanceKind.SETTLED, "")],
)  # fmt: skip
def test_a_positive_balance_is_a_debt_and_a_negative_one_an_advance(
    kopecks: int, kind: BalanceKind, label: str
) -> None:
    assert BalanceKind.of(Money(kopecks)) is kind
    assert kind.label_ru == label


def test_each_line_says_whether_it_opened_and_closed_in_debt_or_advance(portal: Portal) -> None:
    newest = {
        line.line.service_code: line for line in settlement_page(portal.ctx, IVANOV, None).lines
    }
    earlier = {
        line.line.service_code: line for line in settlement_page(portal.ctx, IVANOV, EARLIER).lines
    }

    assert newest["SOD"].opening_kind is BalanceKind.DEBT
    assert newest["EE"].opening_kind is BalanceKind.ADVANCE
    assert earlier["EE"].closing_kind is BalanceKind.ADVANCE
    assert earlier["HVS"].opening_kind is BalanceKind.SETTLED
    assert earlier["HVS"].closing_kind is BalanceKind.DEBT


def test_an_account_paid_ahead_in_total_owes_nothing_this_period() -> None:
    portal = a_portal()
    load_ledger(
        portal.uow_factory,
        [
            a_row(IVANOV, NEWEST, "SOD", opening=-300_000, charged=128_879),
            a_row(IVANOV, NEWEST, "HVS", opening=10_000, charged=42_273, paid=10_000),
        ],
    )

    view = settlement_page(portal.ctx, IVANOV, None)

    assert view.settlement is not None
    assert view.settlement.closing == Money(-300_000 + 128_879 + 42_273)
    assert view.closing_kind is BalanceKind.ADVANCE
    assert view.opening_kind is BalanceKind.ADVANCE
    assert view.settlement.to_pay == Money(0)


# --- how it reads -----------------------------------------------------------------------


class RecordingFactory:
    """Units of work of another factory, remembering how each was asked for."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.read_only: list[bool] = []

    def __call__(self, *, read_only: bool = False) -> UnitOfWork:
        self.read_only.append(read_only)
        uow: UnitOfWork = self.inner(read_only=read_only)
        return uow


@pytest.mark.parametrize("period", [None, EARLIER])
def test_the_page_is_read_in_one_read_only_unit_of_work(
    portal: Portal, period: Period | None
) -> None:
    recording = RecordingFactory(portal.uow_factory)
    ctx = attrs.evolve(portal.ctx, uow_factory=recording)

    settlement_page(ctx, IVANOV, period)

    assert recording.read_only == [True]
