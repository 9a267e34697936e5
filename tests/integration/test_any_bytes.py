"""Any bytes given to a reader of files — each kind of billing file (`lk import`), billing's
readings results (`lk readings import-results`), a bank registry (`lk payments
import-registry`) — either load or are refused with that import's own error, never with
another exception (issue 17 §6). Loaded into SQLite and PostgreSQL, so that whatever the
readers accept must fit the database's columns too."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from conftest import SQL_DATABASES, empty_database
from lk_adapters.billing_files import CsvSourceFile, SourceFileError
from lk_adapters.clock import SystemClock
from lk_adapters.portal_unit_of_work import PortalUnitOfWorkFactory
from lk_adapters.registries import SBERBANK, RegistryFileError, read_registry
from lk_adapters.sqlalchemy.migrations import upgrade_database
from lk_adapters.sqlalchemy.tables import metadata
from lk_adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWorkFactory
from lk_core.accounts.account import Account, AccountNumber, House
from lk_core.billing_import.kinds import FileKind
from lk_core.billing_import.loader import ImportReport, load_billing_files
from lk_core.billing_import.readings_exchange import ResultsReport, import_reading_results
from lk_core.kernel.periods import BillingPeriod, Period, PeriodStatus
from lk_core.kernel.runtime import no_progress
from lk_core.ledger.services import Service
from lk_core.payments.registry_import import RegistryRejected, import_registry
from lk_core.readings.meters import DigitCapacity, Meter, MeterKind, TariffZone
from lk_core.readings.reading import Reading, ReadingSource

MOSCOW = zoneinfo.ZoneInfo("Europe/Moscow")
ACCOUNTS, METERS, READINGS = FileKind.ACCOUNTS, FileKind.METERS, FileKind.READINGS
EXAMPLES = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Values each column takes in a good file, so that generated rows reach the deeper rules.
GOOD: dict[str, list[str]] = {
    "house": ["H1", "H2"], "address": ["г. Тверь, ул. Советская, д. 12"],
    "total_area": ["3250,40"], "service": ["hvs", "el"], "name": ["Вода"], "unit": ["м³"],
    "provider": ["ООО «Водоканал»"], "account": ["100234", "100234-А", "100235"],
    "payer": ["Иванов Иван"], "flat": ["5"], "rooms": ["2"], "area": ["54,30"],
    "residents": ["1"], "phone": ["+7 912 345-67-89"], "email": ["a@example.ru"],
    "meter": ["W1", "E1", "W2"], "kind": ["ИПУ", "ОДПУ"], "serial": ["123"],
    "integer_digits": ["5"], "fraction_digits": ["3"], "zones": ["День,Ночь"],
    "installed_on": ["01.02.2020"], "next_verification_on": ["2030-01-01"], "archived": ["да"],
    "period": ["11.2026", "2026-10", "2026-09"], "opening": ["100,00"], "charged": ["250,50"],
    "recalculation": ["0,00"], "paid": ["100,00"], "closing": ["250,50"], "volume": ["12,345"],
    "tariff": ["40,65"], "recalculation_reason": ["акт"], "payment": ["P-1", "P-2"],
    "date": ["16.11.2025"], "amount": ["1500,00"], "reading": ["p-1", "b-1", "b-2"],
    "zone": ["", "День"], "value": ["123,45"], "taken_at": ["20.11.2026 12:30"],
    "source": ["Личный кабинет", "Оператор"], "status": ["Рассчитано", "Отклонено", "Принято"],
    "reason": ["Прибор не опломбирован"],
}  # fmt: skip
# Values that have broken a reader or a database before, or might.
EDGES = [
    "", " ", "0", "-1", "1" + "0" * 30, "9" * 5000, "2147483648", "99999999999999999999,99",
    "1234567890123,1234567", "01.01.0001", "0001-01-01 00:30", "31.12.9999 23:59", "1e3",
    "NaN", "١٢", "²", "[/]", "[link=http://x]y[/link]", "Ива\x00нов", "\x1b[2J", "Д" * 65,
    "P" * 129, '"', "a;b", "a\nb", "\x85", "\ufeff",
]  # fmt: skip


def field(column: str) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(GOOD.get(column, [""])),
        st.sampled_from(EDGES),
        st.text(max_size=12),
        st.from_regex(r"-?[0-9]{1,22}([.,][0-9]{1,9})?", fullmatch=True),
    )


@st.composite
def spoiled(draw: st.DrawFn, names: list[str]) -> str:
    """A good row of these columns, with a few of its cells anything."""
    cells = [GOOD.get(name, [""])[0] for name in names]
    for at in draw(st.sets(st.integers(0, len(names) - 1), max_size=3)):
        cells[at] = draw(field(names[at]))
    return ";".join(cells)


@st.composite
def as_bytes(draw: st.DrawFn, lines: list[str]) -> bytes:
    """The lines as a file: some encoding, some line ends, and perhaps some bytes spoiled."""
    end = draw(st.sampled_from(["\n", "\r\n"]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1251"]))
    data = end.join(lines).encode(encoding, errors="replace")
    spoil = draw(st.integers(0, 3))
    if spoil == 1:
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at:]
    elif spoil == 2:
        data = draw(st.binary(max_size=300))
    return data


@st.composite
def billing_file(draw: st.DrawFn, kind: FileKind) -> bytes:
    columns = [c for c in kind.columns if c.required or draw(st.booleans())]
    header = [draw(st.sampled_from([c.name, c.header_ru])) for c in columns]
    names = [c.name for c in columns]
    rows = draw(st.lists(spoiled(names), min_size=1, max_size=4))
    return draw(as_bytes([";".join(header), *rows]))


@st.composite
def billing_case(draw: st.DrawFn) -> tuple[FileKind, bytes, FileKind | None, bool]:
    """A kind, a file's bytes, the kind `lk import --kind` names (or None), and whether a
    ledger is parsed in a child process."""
    kind = draw(st.sampled_from(list(FileKind)))
    in_child = draw(st.booleans()) if kind is FileKind.LEDGER else False
    return kind, draw(billing_file(kind)), draw(st.sampled_from([kind, None])), in_child


# The layout of Sberbank's registries (docs/formats.md): the columns read, by number.
REGISTRY_COLUMNS = ["paid_on", "", "", "", "line_id", "account", "payer", "", "", "amount", "",
                    "", "order"]  # fmt: skip
GOOD |= {"paid_on": ["02-03-2026"], "line_id": ["510011", "510012"], "order": ["", "a" * 32]}


@st.composite
def registry_file(draw: st.DrawFn) -> bytes:
    lines = draw(st.lists(spoiled(REGISTRY_COLUMNS), min_size=1, max_size=4))
    if draw(st.booleans()):
        lines.append(f"={draw(field('count'))};{draw(field('amount'))}")
    return draw(as_bytes(lines))


def example_file(kind: FileKind, *rows: dict[str, str]) -> bytes:
    """A file of this kind with a row per dict: good cells, but for those the dict names."""
    names = [column.name for column in kind.columns]
    lines = [";".join(cells.get(name, GOOD.get(name, [""])[0]) for name in names) for cells in rows]
    return "\n".join([";".join(names), *lines]).encode()


# --- the database: a few things to refer to, the same before every example --------------


def seed(factory: PortalUnitOfWorkFactory) -> None:
    with factory() as uow:
        uow.houses.upsert_many([House("H1", "г. Тверь, ул. Советская, д. 12", Decimal("3250.4"))])
        uow.services.upsert_many([Service("hvs", "Вода", "м³"), Service("el", "Свет", "кВт·ч")])
        uow.accounts.upsert_from_billing(
            [
                Account(AccountNumber(key), "H1", "Иванов Иван", "5", 2, Decimal("54.3"), 1)
                for key in ("100234", "100235")
            ]
        )
        uow.meters.upsert_many(
            [
                Meter("W1", MeterKind.INDIVIDUAL, "hvs", "1", DigitCapacity(5, 3),
                      account_key="100234"),
                Meter("E1", MeterKind.INDIVIDUAL, "el", "2", DigitCapacity(6, 1),
                      (TariffZone.DAY, TariffZone.NIGHT), account_key="100234"),
            ]
        )  # fmt: skip
        uow.periods.save(BillingPeriod(Period(2026, 9), PeriodStatus.CLOSED))
        taken = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)
        uow.readings.add_pending(
            Reading("p-1", "W1", TariffZone.SINGLE, Period(2026, 11), Decimal("123.45"), taken,
                    ReadingSource.PORTAL)
        )  # fmt: skip
        uow.commit()


class Database:
    """The seeded database every example starts from: emptied and seeded again after an
    example that loaded something (a refused load changes nothing)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.uow_factory: PortalUnitOfWorkFactory = SqlAlchemyUnitOfWorkFactory(engine)
        self.changed = True

    def fresh(self) -> PortalUnitOfWorkFactory:
        if self.changed:
            with self.engine.begin() as connection:
                for table in reversed(metadata.sorted_tables):
                    connection.execute(table.delete())
            seed(self.uow_factory)
        # Until the example says otherwise (`loaded`), as if it will change something.
        self.changed = True
        return self.uow_factory

    def loaded(self, changed: bool) -> None:
        self.changed = changed


@pytest.fixture(params=SQL_DATABASES)
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    with empty_database(request.param, tmp_path) as engine:
        upgrade_database(engine)
        yield Database(engine)


def written(folder: Path, data: bytes) -> Path:
    path = folder / "file.csv"
    path.write_bytes(data)
    return path


# --- the laws ---------------------------------------------------------------------------


@settings(EXAMPLES, max_examples=150)
@given(case=billing_case())
# Each of these was a traceback (issue 17): an integer past SQLite's and PostgreSQL's
# columns, int() of 5000 digits, a moment before year 1 in UTC, two pending readings of
# one meter, a NUL and a flat past VARCHAR(64) on PostgreSQL.
@example(case=(ACCOUNTS, example_file(ACCOUNTS, {"rooms": "1" + "0" * 30}), None, False))
@example(case=(METERS, example_file(METERS, {"integer_digits": "9" * 5000}), None, False))
@example(case=(READINGS, example_file(READINGS, {"taken_at": "01.01.0001"}), None, False))
@example(
    case=(
        READINGS,
        example_file(
            READINGS,
            {"reading": "b-1", "status": "Принято"},
            {"reading": "b-2", "status": "Принято"},
        ),
        None,
        False,
    )
)
@example(case=(ACCOUNTS, example_file(ACCOUNTS, {"payer": "Ива\x00нов"}), None, False))
@example(case=(ACCOUNTS, example_file(ACCOUNTS, {"flat": "к" * 65}), None, False))
def test_any_billing_file_loads_or_is_refused_with_the_import_error(
    database: Database, tmp_path: Path, case: tuple[FileKind, bytes, FileKind | None, bool]
) -> None:
    kind, data, named, in_child = case
    path = written(tmp_path, data)
    uow_factory = database.fresh()
    try:
        with CsvSourceFile.open(path, kind=named, parse_in_child=in_child) as source:
            report = load_billing_files(uow_factory, [source], tz=MOSCOW, progress=no_progress())
    except SourceFileError:
        database.loaded(False)
        return
    assert isinstance(report, ImportReport)
    event(f"{kind.value} loaded" if report.loaded else "refused")
    database.loaded(report.loaded)


@EXAMPLES
@given(data=billing_file(FileKind.READINGS))
@example(data=example_file(READINGS, {"status": "Отклонено", "reason": "нет\x00пломбы"}))
@example(data=example_file(READINGS, {"reading": "b-1", "taken_at": "01.01.0001"}))
def test_any_readings_results_file_loads_or_is_refused_with_the_import_error(
    database: Database, tmp_path: Path, data: bytes
) -> None:
    path = written(tmp_path, data)
    uow_factory = database.fresh()
    try:
        with CsvSourceFile.open(path, kind=FileKind.READINGS) as source:
            report = import_reading_results(uow_factory, source, tz=MOSCOW, progress=no_progress())
    except SourceFileError:
        database.loaded(False)
        return
    assert isinstance(report, ResultsReport)
    event("loaded" if report.applied else "refused")
    database.loaded(report.applied)


REGISTRY_LINE = "02-03-2026;;;;{operation};100234;{payer};;;1500,00;;;"


@EXAMPLES
@given(data=registry_file())
# A summary count int() refuses; a NUL, an operation past its column on PostgreSQL.
@example(
    data=(REGISTRY_LINE.format(operation="1", payer="И") + "\n=" + "1" * 5000).encode("cp1251")
)
@example(data=REGISTRY_LINE.format(operation="1", payer="ИВАНОВ\x00").encode("cp1251"))
@example(data=REGISTRY_LINE.format(operation="5" * 125, payer="И").encode("cp1251"))
def test_any_registry_loads_or_is_refused_with_the_registry_errors(
    database: Database, tmp_path: Path, data: bytes
) -> None:
    path = written(tmp_path, data)
    uow_factory = database.fresh()
    try:
        entries = read_registry(path, SBERBANK)
        import_registry(uow_factory, SystemClock(), "sberbank", path.name, entries, frozenset())
    except (RegistryFileError, RegistryRejected):
        event("refused")
        database.loaded(False)
    else:
        event("loaded")
