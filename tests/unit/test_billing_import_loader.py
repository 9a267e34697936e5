"""Loading billing files (F21): whole or nothing, idempotent, problems named by file and line."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import zoneinfo
from decimal import Decimal
from pathlib import Path

import pytest

from lk_adapters.billing_files import CsvSourceFile, csv_source_file
from lk_adapters.memory import InMemoryStore, InMemoryUnitOfWorkFactory
from lk_adapters.portal_unit_of_work import PortalUnitOfWorkFactory
from lk_core.billing_import.loader import (
    BATCH_ROWS,
    MAX_PROBLEMS,
    ImportReport,
    load_billing_files,
)
from lk_core.kernel.periods import BillingPeriod, Period, PeriodStatus
from lk_core.kernel.runtime import no_progress
from lk_core.readings.meters import TariffZone
from lk_core.readings.reading import Reading, ReadingSource

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
# A ledger file names each account, period and service once: big files are made of lines
# of many accounts, each in the twelve months of 2026 and both services.
LINES_PER_ACCOUNT = 24


def many_ledger_lines(count: int) -> list[str]:
    """`count` ledger lines, each of its own account, period and service."""
    lines = []
    for n in range(count):
        account, rest = divmod(n, LINES_PER_ACCOUNT)
        month, service = divmod(rest, 2)
        lines.append(
            f"{300_000 + account};{month + 1:02d}.2026;{('SOD', 'HVS')[service]};"
            "1,00;2,00;0,00;1,00;2,00;;;"
        )
    return lines


def with_accounts_for(folder: Path, lines: int) -> int:
    """Add the accounts `many_ledger_lines(lines)` names to the accounts file; how many."""
    count = -(-lines // LINES_PER_ACCOUNT)
    extra = [f"{300_000 + n};101;Иванов Иван Иванович;{n};1;30,00;1;;" for n in range(count)]
    write(folder, "accounts.csv", ACCOUNTS + extra)
    return count


def load(factory: PortalUnitOfWorkFactory, folder: Path, names: list[str]) -> ImportReport:
    files = [CsvSourceFile(folder / name) for name in names]
    return load_billing_files(factory, files, tz=MOSCOW, progress=no_progress())


def counts(factory: PortalUnitOfWorkFactory) -> tuple[int, int, int, int, list[BillingPeriod]]:
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
    lines = many_ledger_lines(3 * BATCH_ROWS)
    lines[2 * BATCH_ROWS] = lines[2 * BATCH_ROWS].replace("HVS", "GAS").replace("SOD", "GAS")
    with_accounts_for(folder, len(lines))
    write(folder, "ledger.csv", [LEDGER_HEADER, *lines])

    report = load(InMemoryUnitOfWorkFactory(InMemoryStore()), folder, NAMES)

    assert [(p.line, p.column) for p in report.problems] == [(2 * BATCH_ROWS + 2, "service")]


def test_thousands_of_ledger_lines_load_with_their_periods(folder: Path) -> None:
    many = [LEDGER_HEADER, *many_ledger_lines(2 * BATCH_ROWS)]
    many.append(LEDGER[1].replace("10.2026", "11.2025"))
    with_accounts_for(folder, 2 * BATCH_ROWS)
    write(folder, "ledger.csv", many)
    factory = InMemoryUnitOfWorkFactory(InMemoryStore())

    report = load(factory, folder, NAMES)

    assert report.rows["ledger.csv"] == 2 * BATCH_ROWS + 1
    assert counts(factory)[3:] == (
        2 * BATCH_ROWS + 1,
        [BillingPeriod(Period(2025, 11))]
        + [BillingPeriod(Period(2026, month)) for month in range(1, 13)],
    )


def test_a_load_stopped_at_the_problem_limit_leaves_no_process_behind(folder: Path) -> None:
    unknown = LEDGER[1].replace("101001", "999999")
    write(folder, "ledger.csv", [LEDGER_HEADER, *[unknown] * (3 * MAX_PROBLEMS)])

    report = load(InMemoryUnitOfWorkFactory(InMemoryStore()), folder, NAMES)

    assert report.truncated
    assert len(report.problems) == MAX_PROBLEMS
    assert multiprocessing.active_children() == []


def test_progress_is_reported_in_bytes_up_to_the_total(folder: Path) -> None:
    with_accounts_for(folder, 2 * BATCH_ROWS)
    write(folder, "ledger.csv", [LEDGER_HEADER, *many_ledger_lines(2 * BATCH_ROWS)])
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
    folder: Path, uow_factory: PortalUnitOfWorkFactory
) -> None:
    # Parsed in a child, the ledger is forked from a process holding the open transaction.
    accounts = with_accounts_for(folder, 4 * BATCH_ROWS)
    write(folder, "ledger.csv", [LEDGER_HEADER, *many_ledger_lines(4 * BATCH_ROWS)])

    report = load(uow_factory, folder, NAMES)

    assert report.loaded, report.problems[:3]
    assert report.rows["ledger.csv"] == 4 * BATCH_ROWS
    assert counts(uow_factory) == (
        1, 2, 2 + accounts, 4 * BATCH_ROWS,
        [BillingPeriod(Period(2026, month)) for month in range(1, 13)],
    )  # fmt: skip


# --- one row per key in a file (issue 17) ------------------------------------------------

METERS = [
    "Код ПУ;Тип ПУ;Код услуги;Заводской номер;Разрядность;Знаков после запятой;Лицевой счёт",
    "M1;ИПУ;HVS;23254322;5;3;101001",
]
READINGS_HEADER = "Код показания;Код ПУ;Период;Показание;Дата показания;Источник;Статус"
REPEATS = [
    ("houses.csv", [*HOUSES, HOUSES[1]], (3, "house", "дом 101 уже есть в строке 2")),
    ("services.csv", [*SERVICES, SERVICES[1]], (4, "service", "услуга HVS уже есть в строке 2")),
    (
        "accounts.csv",
        [*ACCOUNTS, "101002;101;Петров Пётр Петрович;2;1;31,20;1;;"],
        (4, "account", "лицевой счёт 101002 уже есть в строке 3"),
    ),
    ("meters.csv", [*METERS, METERS[1]], (3, "meter", "прибор учёта M1 уже есть в строке 2")),
    (
        "ledger.csv",
        [
            *LEDGER,
            LEDGER[2].replace("402,39;402,39;0,00;402,39;402,39", "0,00;1,00;0,00;0,00;1,00"),
        ],
        (6, "account", "лицевой счёт 101001, период 2026-10, услуга HVS уже есть в строке 3"),
    ),
    (
        "payments.csv",
        ["Номер платежа;Лицевой счёт;Дата платежа;Сумма", *["P-1;101001;16.11.2025;100,00"] * 2],
        (3, "payment", "платёж P-1 уже есть в строке 2"),
    ),
    (
        "readings.csv",
        [READINGS_HEADER, *["R-1;M1;10.2026;800,909;22.10.2026;Контролёр;Рассчитано"] * 2],
        (3, "reading", "показание R-1 уже есть в строке 2"),
    ),
]


@pytest.mark.parametrize(("name", "lines", "problem"), REPEATS, ids=[r[0] for r in REPEATS])
def test_a_key_named_twice_in_a_file_is_refused_naming_both_lines(
    folder: Path, name: str, lines: list[str], problem: tuple[int, str, str]
) -> None:
    write(folder, "meters.csv", METERS)
    write(folder, name, lines)
    factory = InMemoryUnitOfWorkFactory(InMemoryStore())

    report = load(factory, folder, sorted({*NAMES, "meters.csv", name}))

    assert [(p.file, p.line, p.column, p.reason) for p in report.problems] == [(name, *problem)]
    assert counts(factory) == (0, 0, 0, 0, [])


def test_a_ledger_key_repeated_far_apart_in_a_big_file_names_both_lines(folder: Path) -> None:
    lines = many_ledger_lines(3 * BATCH_ROWS)
    lines.insert(2 * BATCH_ROWS, lines[10])
    with_accounts_for(folder, len(lines))
    write(folder, "ledger.csv", [LEDGER_HEADER, *lines])

    report = load(InMemoryUnitOfWorkFactory(InMemoryStore()), folder, NAMES)

    assert [(p.line, p.column) for p in report.problems] == [(2 * BATCH_ROWS + 2, "account")]
    assert report.problems[0].reason.endswith("уже есть в строке 12")
    assert multiprocessing.active_children() == []


def test_a_ledger_key_repeated_on_lines_the_bulk_reader_hands_back_names_both_lines(
    folder: Path,
) -> None:
    # `101002-А` and `101002` are one account: the letter index sends the row to the row
    # reader, its repeat comes a batch later.
    lines = many_ledger_lines(2 * BATCH_ROWS)
    lines[7] = LEDGER[3]
    lines.append(LEDGER[3].replace("101002-А", "101002"))
    with_accounts_for(folder, len(lines))
    write(folder, "ledger.csv", [LEDGER_HEADER, *lines])

    report = load(InMemoryUnitOfWorkFactory(InMemoryStore()), folder, NAMES)

    assert [(p.line, p.reason) for p in report.problems] == [
        (
            2 * BATCH_ROWS + 2,
            "лицевой счёт 101002, период 2026-10, услуга SOD уже есть в строке 9",
        )
    ]


def test_a_bad_row_counts_as_naming_its_key(folder: Path) -> None:
    bad_amount = LEDGER[1].replace("1288,79;1288,79;0,00", "1288,79;12x8,79;0,00")
    write(folder, "ledger.csv", [LEDGER_HEADER, bad_amount, LEDGER[2], LEDGER[1]])

    report = load(InMemoryUnitOfWorkFactory(InMemoryStore()), folder, NAMES)

    assert [(p.line, p.column) for p in report.problems] == [(2, "charged"), (4, "account")]
    assert report.problems[1].reason.endswith("уже есть в строке 2")


def pending(code: str, value: str) -> str:
    return f"{code};M1;10.2026;{value};22.10.2026;Личный кабинет;Принято"


def test_a_second_pending_reading_of_a_meter_and_period_is_refused(folder: Path) -> None:
    write(folder, "meters.csv", METERS)
    write(folder, "readings.csv", [READINGS_HEADER, pending("R-1", "5"), pending("R-2", "6")])
    factory = InMemoryUnitOfWorkFactory(InMemoryStore())

    report = load(factory, folder, [*NAMES, "meters.csv", "readings.csv"])

    assert [(p.line, p.column, p.reason) for p in report.problems] == [
        (
            3,
            "status",
            "у прибора учёта M1 за 2026-10 уже есть принятое показание R-1 (строка 2): "
            "принятое может быть только одно",
        )
    ]


def test_a_pending_reading_beside_one_stored_is_refused_unless_the_file_decides_it(
    folder: Path, uow_factory: PortalUnitOfWorkFactory
) -> None:
    write(folder, "meters.csv", METERS)
    assert load(uow_factory, folder, [*NAMES, "meters.csv"]).loaded
    with uow_factory() as uow:
        taken = dt.datetime(2026, 10, 20, 9, 0, tzinfo=dt.UTC)
        stored = Reading("p-1", "M1", TariffZone.SINGLE, Period(2026, 10), Decimal(5), taken,
                         ReadingSource.PORTAL)  # fmt: skip
        uow.readings.add_pending(stored)
        uow.commit()
    write(folder, "readings.csv", [READINGS_HEADER, pending("R-2", "6")])

    refused = load(uow_factory, folder, ["readings.csv"])
    calculated = pending("p-1", "5").replace("Принято", "Рассчитано")
    write(folder, "readings.csv", [READINGS_HEADER, calculated, pending("R-2", "6")])
    decided = load(uow_factory, folder, ["readings.csv"])

    assert [(p.line, p.reason.split(" (")[0]) for p in refused.problems] == [
        (2, "у прибора учёта M1 за 2026-10 уже есть принятое показание p-1")
    ]
    assert decided.loaded, decided.problems
