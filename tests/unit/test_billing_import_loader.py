"""Loading billing files (F21): whole or nothing, idempotent, problems named by file and line."""

from __future__ import annotations

import multiprocessing
import zoneinfo
from pathlib import Path

import pytest

from lk_adapters.billing_files import CsvSourceFile, csv_source_file
from lk_adapters.memory import InMemoryStore, InMemoryUnitOfWorkFactory
from lk_core.billing_import.loader import (
    BATCH_ROWS,
    MAX_PROBLEMS,
    ImportReport,
    load_billing_files,
)
from lk_core.kernel.periods import BillingPeriod, Period, PeriodStatus
from lk_core.kernel.runtime import no_progress
from lk_core.unit_of_work import UnitOfWorkFactory

MOSCOW = zoneinfo.ZoneInfo("Europe/Moscow")

HOUSES = ["Код дома;Адрес дома;Площадь дома", "101;г. Тверь, ул. Советская, д. 12;3851,51"]
SERVICES = [
    "Код услуги;Наименование услуги;Ед. изм.;Исполнитель",
    "HVS;Холодное водоснабжение;м³;ООО «Водоканал-Тверь»",
    "SOD;Содержание и ремонт МКД;м²;ООО «УК Тверской дом»",
]
ACCOUNTS = [
    "Лицевой счёт;Код дома;ФИО;Помещение;Комнат;Площадь помещения;Проживает;Телефон;E-mail",
    "101001;101;Королёва Анна Петровна;1;2;45,30;3;+7 (915) 123-45-67;",
    "101002-А;101;Иванов Сергей Ильич;2;1;31,20;1;;ivanov.s@example.com",
]
LEDGER_HEADER = (
    "Лицевой счёт;Период;Код услуги;Сальдо входящее;Начислено;Перерасчёт;Оплачено;"
    "Сальдо исходящее;Объём;Тариф;Основание перерасчёта"
)
LEDGER = [
    LEDGER_HEADER,
    "101001;10.2026;SOD;1288,79;1288,79;0,00;1288,79;1288,79;45,30;28,45;",
    "101001;10.2026;HVS;402,39;402,39;0,00;402,39;402,39;9,000;44,71;",
    "101002-А;10.2026;SOD;887,64;887,64;-44,38;887,64;843,26;31,20;28,45;Уборка подъезда (акт)",
    "101002;10.2026;HVS;134,13;134,13;0,00;0,00;268,26;3,000;44,71;",
]


def write(folder: Path, name: str, lines: list[str]) -> Path:
    path = folder / name
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


@pytest.fixture(autouse=True, params=["parsed_here", "parsed_in_child"])
def ledger_parsing(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test twice: ledger batches parsed in this process, and in a child (ADR 0010)."""
    if request.param == "parsed_in_child":
        monkeypatch.setattr(csv_source_file, "PARSE_IN_CHILD_FROM_BYTES", 0)
    return str(request.param)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    write(tmp_path, "houses.csv", HOUSES)
    write(tmp_path, "services.csv", SERVICES)
    write(tmp_path, "accounts.csv", ACCOUNTS)
    write(tmp_path, "ledger.csv", LEDGER)
    return tmp_path


NAMES = ["houses.csv", "services.csv", "accounts.csv", "ledger.csv"]


def load(factory: UnitOfWorkFactory, folder: Path, names: list[str]) -> ImportReport:
    files = [CsvSourceFile(folder / name) for name in names]
    return load_billing_files(factory, files, tz=MOSCOW, progress=no_progress())


def counts(factory: UnitOfWorkFactory) -> tuple[int, int, int, int, list[BillingPeriod]]:
    with factory() as uow:
        return (
            len(uow.houses.codes()),
            len(uow.services.list()),
            uow.accounts.count(),
            uow.ledger.count(),
            uow.periods.list(),
        )


def test_files_load_and_report_their_rows(folder: Path) -> None:
    factory = InMemoryUnitOfWorkFactory(InMemoryStore())

    report = load(factory, folder, NAMES)

    assert report.loaded
    assert report.rows == {"houses.csv": 1, "services.csv": 2, "accounts.csv": 2, "ledger.csv": 4}
    assert counts(factory) == (1, 2, 2, 4, [BillingPeriod(Period(2026, 10))])


def test_one_bad_line_changes_nothing_and_is_named_by_file_line_and_column(
    folder: Path,
) -> None:
    bad = [*LEDGER[:3], "", LEDGER[3].replace("887,64;887,64;-44,38", "887,64;88x,64;-44,38")]
    write(folder, "ledger.csv", bad)
    factory = InMemoryUnitOfWorkFactory(InMemoryStore())

    report = load(factory, folder, NAMES)

    assert not report.loaded
    assert len(report.problems) == 1
    problem = report.problems[0]
    assert (problem.file, problem.line, problem.column) == ("ledger.csv", 5, "charged")
    assert "ledger.csv, строка 5, столбец «charged»" in str(problem)
    assert counts(factory) == (0, 0, 0, 0, [])


def test_every_bad_line_is_named_not_only_the_first(folder: Path) -> None:
    bad = [LEDGER_HEADER, LEDGER[1].replace("101001", "999999"), LEDGER[2].replace("HVS", "GAS")]
    write(folder, "ledger.csv", bad)

    report = load(InMemoryUnitOfWorkFactory(InMemoryStore()), folder, NAMES)

    assert [(p.line, p.column) for p in report.problems] == [(2, "account"), (3, "service")]


def test_a_stated_closing_balance_that_does_not_add_up_is_refused(folder: Path) -> None:
    write(
        folder, "ledger.csv", [LEDGER_HEADER, LEDGER[1].replace(";1288,79;45,30", ";1288,80;45,30")]
    )

    report = load(InMemoryUnitOfWorkFactory(InMemoryStore()), folder, NAMES)

    assert [(p.line, p.column) for p in report.problems] == [(2, "closing")]


def test_loading_the_same_files_twice_changes_nothing(folder: Path) -> None:
    factory = InMemoryUnitOfWorkFactory(InMemoryStore())
    load(factory, folder, NAMES)
    once = counts(factory)
    with factory() as uow:
        lines_once = uow.ledger.lines("101002", Period(2026, 10))

    report = load(factory, folder, NAMES)

    assert report.loaded
    assert counts(factory) == once
    with factory() as uow:
        assert uow.ledger.lines("101002", Period(2026, 10)) == lines_once


def test_a_ledger_may_refer_to_accounts_of_the_same_load_in_any_argument_order(
    folder: Path,
) -> None:
    factory = InMemoryUnitOfWorkFactory(InMemoryStore())

    report = load(factory, folder, list(reversed(NAMES)))

    assert report.loaded
    assert counts(factory)[2:4] == (2, 4)


def test_a_row_for_a_closed_period_is_refused(folder: Path) -> None:
    factory = InMemoryUnitOfWorkFactory(InMemoryStore())
    load(factory, folder, NAMES)
    with factory() as uow:
        uow.periods.save(BillingPeriod(Period(2026, 10), PeriodStatus.CLOSED))
        uow.commit()
    before = counts(factory)
    unpaid = "101001;10.2026;SOD;1288,79;1288,79;0,00;0,00;2577,58;45,30;28,45;"
    write(folder, "ledger.csv", [LEDGER_HEADER, unpaid])

    report = load(factory, folder, ["ledger.csv"])

    assert [(p.file, p.line, p.column) for p in report.problems] == [("ledger.csv", 2, "period")]
    assert "закрыт" in report.problems[0].reason
    assert counts(factory) == before


def test_contacts_are_filled_only_where_none_is_on_file(folder: Path) -> None:
    factory = InMemoryUnitOfWorkFactory(InMemoryStore())
    load(factory, folder, NAMES)
    changed = [
        ACCOUNTS[0],
        "101001;101;Королёва Анна Петровна;1;2;45,30;2;+7 (900) 000-00-00;anna@example.com",
        ACCOUNTS[2],
    ]
    write(folder, "accounts.csv", changed)

    assert load(factory, folder, ["accounts.csv"]).loaded

    with factory() as uow:
        account = uow.accounts.get("101001")
    assert account is not None
    assert account.residents == 2
    assert str(account.phone) == "+7 915 123-45-67"
    assert str(account.email) == "anna@example.com"


class RecordedProgress:
    def __init__(self) -> None:
        self.seen: list[tuple[int, int | None]] = []

    def advance(self, done: int, total: int | None) -> None:
        self.seen.append((done, total))


def test_a_bad_line_among_thousands_is_named_by_its_line(folder: Path) -> None:
    many = [LEDGER_HEADER, *[LEDGER[1]] * (2 * BATCH_ROWS), LEDGER[2].replace("HVS", "GAS")]
    many += [LEDGER[2]] * BATCH_ROWS
    write(folder, "ledger.csv", many)

    report = load(InMemoryUnitOfWorkFactory(InMemoryStore()), folder, NAMES)

    assert [(p.line, p.column) for p in report.problems] == [(2 * BATCH_ROWS + 2, "service")]


def test_thousands_of_ledger_lines_load_with_their_periods(folder: Path) -> None:
    many = [LEDGER_HEADER, *LEDGER[1:3] * BATCH_ROWS]
    many.append(LEDGER[1].replace("10.2026", "11.2026"))
    write(folder, "ledger.csv", many)
    factory = InMemoryUnitOfWorkFactory(InMemoryStore())

    report = load(factory, folder, NAMES)

    assert report.rows["ledger.csv"] == 2 * BATCH_ROWS + 1
    assert counts(factory)[3:] == (
        3,
        [BillingPeriod(Period(2026, 10)), BillingPeriod(Period(2026, 11))],
    )


def test_a_load_stopped_at_the_problem_limit_leaves_no_process_behind(folder: Path) -> None:
    unknown = LEDGER[1].replace("101001", "999999")
    write(folder, "ledger.csv", [LEDGER_HEADER, *[unknown] * (3 * MAX_PROBLEMS)])

    report = load(InMemoryUnitOfWorkFactory(InMemoryStore()), folder, NAMES)

    assert report.truncated
    assert len(report.problems) == MAX_PROBLEMS
    assert multiprocessing.active_children() == []


def test_progress_is_reported_in_bytes_up_to_the_total(folder: Path) -> None:
    write(folder, "ledger.csv", [LEDGER_HEADER, *LEDGER[1:3] * BATCH_ROWS])
    files = [CsvSourceFile(folder / name) for name in NAMES]
    total = sum((folder / name).stat().st_size for name in NAMES)
    progress = RecordedProgress()

    load_billing_files(
        InMemoryUnitOfWorkFactory(InMemoryStore()), files, tz=MOSCOW, progress=progress
    )

    done = [done for done, _total in progress.seen]
    assert done == sorted(done)
    assert {seen_total for _done, seen_total in progress.seen} == {total}
    assert done[-1] == total
    assert 0 < done[len(done) // 2] < total


def test_thousands_of_lines_load_into_every_store_in_one_transaction(
    folder: Path, uow_factory: UnitOfWorkFactory
) -> None:
    # Parsed in a child, the ledger is forked from a process holding the open transaction.
    write(folder, "ledger.csv", [LEDGER_HEADER, *LEDGER[1:] * BATCH_ROWS])

    report = load(uow_factory, folder, NAMES)

    assert report.loaded, report.problems[:3]
    assert report.rows["ledger.csv"] == 4 * BATCH_ROWS
    assert counts(uow_factory) == (1, 2, 2, 4, [BillingPeriod(Period(2026, 10))])
