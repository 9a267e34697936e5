"""The ledger repository: bulk-loaded rows, read back as an account's lines."""

from __future__ import annotations

from decimal import Decimal

import pytest

from lk_core.kernel.money import Money
from lk_core.kernel.periods import Period
from lk_core.ledger.lines import LedgerLine
from lk_core.unit_of_work import UnitOfWorkFactory

from .builders import OCTOBER, a_house, a_ledger_row, a_service, an_account, given

SEPTEMBER = Period(2026, 9)


@pytest.fixture
def uow_factory_with_accounts(uow_factory: UnitOfWorkFactory) -> UnitOfWorkFactory:
    given(
        uow_factory,
        houses=[a_house("H1")],
        services=[a_service(code) for code in ("HW", "CW", "EL", "el", "Отопл")],
        accounts=[an_account("100234"), an_account("100235")],
    )
    return uow_factory


def test_a_loaded_row_is_read_back_as_a_ledger_line(
    uow_factory_with_accounts: UnitOfWorkFactory,
) -> None:
    uow_factory = uow_factory_with_accounts
    row = a_ledger_row(
        "100234",
        OCTOBER,
        "HW",
        opening=-1_500,
        charged=52_345,
        recalculation=-2_000,
        paid=30_000,
        volume=Decimal("3.256"),
        tariff=Decimal("161.06"),
        reason="Перерасчёт за август",
    )

    with uow_factory() as uow:
        uow.ledger.upsert_rows([row])
        uow.commit()
    with uow_factory() as uow:
        lines = uow.ledger.lines("100234", OCTOBER)

    assert lines == [
        LedgerLine(
            account_key="100234",
            period=OCTOBER,
            service_code="HW",
            opening=Money(-1_500),
            charged=Money(52_345),
            recalculation=Money(-2_000),
            paid=Money(30_000),
            volume=Decimal("3.256"),
            tariff=Decimal("161.06"),
            recalculation_reason="Перерасчёт за август",
        )
    ]
    assert (str(lines[0].volume), str(lines[0].tariff)) == ("3.256", "161.06")


def test_a_row_without_volume_and_tariff_has_none(
    uow_factory_with_accounts: UnitOfWorkFactory,
) -> None:
    uow_factory = uow_factory_with_accounts
    with uow_factory() as uow:
        uow.ledger.upsert_rows([a_ledger_row(volume=None, tariff=None)])
        [line] = uow.ledger.lines("100234", OCTOBER)

    assert (line.volume, line.tariff) == (None, None)


def test_loading_the_same_ledger_rows_twice_changes_nothing(
    uow_factory_with_accounts: UnitOfWorkFactory,
) -> None:
    uow_factory = uow_factory_with_accounts
    rows = [a_ledger_row("100234", OCTOBER, code) for code in ("HW", "CW", "EL")]
    with uow_factory() as uow:
        uow.ledger.upsert_rows(rows)
        uow.commit()
    with uow_factory() as uow:
        before = uow.ledger.lines("100234", OCTOBER)

    with uow_factory() as uow:
        uow.ledger.upsert_rows(rows)
        uow.commit()

    with uow_factory() as uow:
        assert uow.ledger.lines("100234", OCTOBER) == before
        assert uow.ledger.count() == 3


def test_a_row_for_the_same_account_period_and_service_replaces_the_earlier_one(
    uow_factory_with_accounts: UnitOfWorkFactory,
) -> None:
    uow_factory = uow_factory_with_accounts
    with uow_factory() as uow:
        uow.ledger.upsert_rows([a_ledger_row(charged=100, reason="")])
        uow.commit()

    with uow_factory() as uow:
        uow.ledger.upsert_rows([a_ledger_row(charged=200, volume=None, reason="исправлено")])
        uow.commit()

    with uow_factory() as uow:
        [line] = uow.ledger.lines("100234", OCTOBER)
    assert (line.charged, line.volume, line.recalculation_reason) == (
        Money(200),
        None,
        "исправлено",
    )


def test_within_one_load_the_later_row_for_the_same_line_wins(
    uow_factory_with_accounts: UnitOfWorkFactory,
) -> None:
    uow_factory = uow_factory_with_accounts
    with uow_factory() as uow:
        uow.ledger.upsert_rows([a_ledger_row(charged=100), a_ledger_row(charged=200)])
        [line] = uow.ledger.lines("100234", OCTOBER)

    assert line.charged == Money(200)


def test_an_accounts_lines_in_a_period_are_listed_by_service_code(
    uow_factory_with_accounts: UnitOfWorkFactory,
) -> None:
    uow_factory = uow_factory_with_accounts
    codes = ["el", "HW", "Отопл", "CW", "EL"]
    with uow_factory() as uow:
        uow.ledger.upsert_rows([a_ledger_row("100234", OCTOBER, code) for code in codes])
        listed = uow.ledger.lines("100234", OCTOBER)

    assert [line.service_code for line in listed] == sorted(codes)


def test_lines_are_only_those_of_the_account_and_period_asked_for(
    uow_factory_with_accounts: UnitOfWorkFactory,
) -> None:
    uow_factory = uow_factory_with_accounts
    with uow_factory() as uow:
        uow.ledger.upsert_rows(
            [
                a_ledger_row("100234", OCTOBER, "HW", charged=1),
                a_ledger_row("100234", SEPTEMBER, "HW", charged=2),
                a_ledger_row("100235", OCTOBER, "HW", charged=3),
            ]
        )

        assert [line.charged for line in uow.ledger.lines("100234", OCTOBER)] == [Money(1)]
        assert uow.ledger.lines("100234", Period(2026, 11)) == []
        assert uow.ledger.lines("999999", OCTOBER) == []


def test_the_periods_of_an_account_are_listed_newest_first_each_once(
    uow_factory_with_accounts: UnitOfWorkFactory,
) -> None:
    uow_factory = uow_factory_with_accounts
    periods = [SEPTEMBER, Period(2025, 12), OCTOBER, Period(2026, 1)]
    with uow_factory() as uow:
        uow.ledger.upsert_rows(
            [a_ledger_row("100234", p, code) for p in periods for code in ("HW", "CW")]
            + [a_ledger_row("100235", Period(2026, 11), "HW")]
        )

        assert uow.ledger.periods_of("100234") == sorted(periods, reverse=True)
        assert uow.ledger.periods_of("999999") == []


def test_count_is_the_number_of_ledger_lines(
    uow_factory_with_accounts: UnitOfWorkFactory,
) -> None:
    uow_factory = uow_factory_with_accounts
    with uow_factory() as uow:
        assert uow.ledger.count() == 0
        uow.ledger.upsert_rows([])
        uow.ledger.upsert_rows(
            [a_ledger_row("100234", OCTOBER, "HW"), a_ledger_row("100235", OCTOBER, "HW")]
        )
        assert uow.ledger.count() == 2


def test_rows_may_come_as_any_sequence_of_tuples(
    uow_factory_with_accounts: UnitOfWorkFactory,
) -> None:
    uow_factory = uow_factory_with_accounts
    with uow_factory() as uow:
        uow.ledger.upsert_rows((a_ledger_row("100234"), a_ledger_row("100235")))
        assert uow.ledger.count() == 2


def test_a_batch_of_five_thousand_rows_loads_in_one_call(uow_factory: UnitOfWorkFactory) -> None:
    keys = [str(100_000 + n) for n in range(100)]
    services = [f"S{n:02d}" for n in range(10)]
    periods = [Period(2026, month) for month in range(1, 6)]
    given(
        uow_factory,
        houses=[a_house("H1")],
        services=[a_service(code) for code in services],
        accounts=[an_account(key) for key in keys],
    )
    rows = [
        a_ledger_row(key, period, code, charged=n, volume=Decimal(n).scaleb(-3))
        for n, (key, period, code) in enumerate(
            (key, period, code) for key in keys for period in periods for code in services
        )
    ]

    with uow_factory() as uow:
        uow.ledger.upsert_rows(rows)
        uow.commit()

    with uow_factory() as uow:
        assert uow.ledger.count() == 5_000
        last = uow.ledger.lines(keys[-1], periods[-1])[-1]
    assert (last.charged, last.volume) == (Money(4_999), Decimal("4.999"))


# --- receipts and month close (issue 6) ---


def test_the_accounts_of_a_period_are_listed_each_once_in_code_point_order(
    uow_factory_with_accounts: UnitOfWorkFactory,
) -> None:
    uow_factory = uow_factory_with_accounts
    with uow_factory() as uow:
        uow.ledger.upsert_rows(
            [
                a_ledger_row(key, OCTOBER, code)
                for key in ("100235", "100234")
                for code in ("HW", "CW")
            ]
            + [a_ledger_row("100234", SEPTEMBER, "HW")]
        )

        assert uow.ledger.accounts_in(OCTOBER) == ["100234", "100235"]
        assert uow.ledger.accounts_in(Period(2020, 1)) == []


def test_the_lines_of_several_accounts_in_a_period_come_in_one_call(
    uow_factory_with_accounts: UnitOfWorkFactory,
) -> None:
    uow_factory = uow_factory_with_accounts
    with uow_factory() as uow:
        uow.ledger.upsert_rows(
            [
                a_ledger_row(key, OCTOBER, code)
                for key in ("100235", "100234")
                for code in ("HW", "CW")
            ]
            + [a_ledger_row("100234", SEPTEMBER, "EL")]
        )

        lines = uow.ledger.lines_of_accounts(["100234", "100235", "999999"], OCTOBER)
        none = uow.ledger.lines_of_accounts([], OCTOBER)

    assert [(line.account_key, line.service_code) for line in lines] == [
        ("100234", "CW"), ("100234", "HW"), ("100235", "CW"), ("100235", "HW"),
    ]  # fmt: skip
    assert none == []
