"""Malformed files through the commands an operator runs (issue 17 §6), on SQLite and on
PostgreSQL: each is a clear error naming file, line and column, exit code 3, and
nothing loaded — never a traceback, and never a load that silently drops a row."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import func, select

from conftest import SQL_DATABASES, empty_database_url
from lk_adapters.billing_files import csv_source_file
from lk_adapters.sqlalchemy import tables
from lk_adapters.sqlalchemy.engine import make_engine
from lk_cli.main import cli

HOUSES = "house;address;total_area\nH1;г. Тверь, ул. Советская, д. 12;3250,40\n"
SERVICES = "service;name;unit\nhvs;Холодное водоснабжение;м³\n"
ACCOUNTS_HEADER = "account;house;payer;flat;rooms;area;residents\n"
ACCOUNTS = (
    ACCOUNTS_HEADER
    + "100234-А;H1;Королёва Анна Петровна;кв. 5;2;54,30;3\n"
    + "100235;H1;Иванов Иван Иванович;кв. 6;1;33,10;1\n"
)
METERS = (
    "meter;kind;service;serial;integer_digits;fraction_digits;account\nW1;ИПУ;hvs;1;5;3;100235\n"
)
LEDGER_HEADER = "account;period;service;opening;charged;recalculation;paid;closing\n"
LEDGER = (
    LEDGER_HEADER
    + "100234;2026-10;hvs;100,00;250,50;0,00;100,00;250,50\n"
    + "100235;2026-10;hvs;0,00;120,00;-10,00;0,00;110,00\n"
)
REGISTRY_LINE = (
    "02-03-2026;10-15-22;8607;8607999V;{operation};100234-А;{payer};Г ТВЕРЬ УЛ СОВЕТСКАЯ 12-5;"
    "032026;1500,00;1485,00;15,00\n"
)
RESULTS_HEADER = (
    "Код показания;Код ПУ;Тарифная зона;Период;Показание;Дата показания;Источник;Статус;"
    "Причина отказа\n"
)


@pytest.fixture(params=SQL_DATABASES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with empty_database_url(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def env(database_url: str) -> dict[str, str]:
    return {"LK_DEMO": "1", "LK_DATABASE_URL": database_url}


def lk(env: dict[str, str], *args: str) -> Result:
    # A traceback would surface here as the exception itself, not as exit code 1.
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> str:
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def stored(env: dict[str, str]) -> dict[str, int]:
    """How many rows the tables the commands load hold."""
    engine = make_engine(env["LK_DATABASE_URL"])
    try:
        with engine.connect() as connection:
            return {
                table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
                for table in (
                    tables.houses, tables.services, tables.accounts, tables.meters,
                    tables.ledger_lines, tables.payments, tables.registry_lines, tables.readings,
                )
            }  # fmt: skip
    finally:
        engine.dispose()


NOTHING = dict.fromkeys(
    ["houses", "services", "accounts", "meters", "ledger_lines", "payments", "registry_lines",
     "readings"],
    0,
)  # fmt: skip


def import_refused(env: dict[str, str], folder: Path, **files: str) -> str:
    """`lk import` of houses, services, accounts and ledger (each replaceable): exit code 3,
    nothing stored; the error output."""
    texts = {"houses": HOUSES, "services": SERVICES, "accounts": ACCOUNTS, "ledger": LEDGER}
    paths = [write(folder, f"{name}.csv", text) for name, text in (texts | files).items()]

    result = lk(env, "import", *paths)

    assert result.exit_code == 3, result.output
    assert stored(env) == NOTHING
    return result.output


# --- lk import ------------------------------------------------------------------------


def test_a_number_of_rooms_no_column_holds_is_named_and_nothing_loads(
    tmp_path: Path, env: dict[str, str]
) -> None:
    accounts = ACCOUNTS.replace("кв. 6;1;", "кв. 6;1000000000000000000000000000000;")

    output = import_refused(env, tmp_path, accounts=accounts)

    assert "accounts.csv, строка 3, столбец «rooms»: «1" in output
    assert "— больше 2\u00a0147\u00a0483\u00a0647" in output


def test_a_nul_in_a_payer_name_is_named_and_nothing_loads(
    tmp_path: Path, env: dict[str, str]
) -> None:
    accounts = ACCOUNTS.replace("Иванов Иван", "Ива\x00нов Иван")

    output = import_refused(env, tmp_path, accounts=accounts)

    assert "accounts.csv, строка 3, столбец «payer»: управляющий символ (U+0000, знак 4)" in output


def test_an_account_named_twice_is_refused_naming_both_lines(
    tmp_path: Path, env: dict[str, str]
) -> None:
    accounts = ACCOUNTS + "100235;H1;Петров Пётр Петрович;кв. 7;1;30,00;1\n"

    output = import_refused(env, tmp_path, accounts=accounts)

    assert "accounts.csv, строка 4, столбец «account»: лицевой счёт 100235 уже есть в строке 3" in (
        output
    )
    assert "загружено строк" not in output


@pytest.mark.parametrize("in_child", [False, True], ids=["parsed_here", "parsed_in_child"])
def test_a_ledger_line_named_twice_is_refused_naming_both_lines(
    tmp_path: Path, env: dict[str, str], monkeypatch: pytest.MonkeyPatch, in_child: bool
) -> None:
    if in_child:
        monkeypatch.setattr(csv_source_file, "PARSE_IN_CHILD_FROM_BYTES", 0)
    ledger = LEDGER + "100234-А;10.2026;hvs;0,00;1,00;0,00;0,00;1,00\n"

    output = import_refused(env, tmp_path, ledger=ledger)

    assert (
        "ledger.csv, строка 4, столбец «account»: лицевой счёт 100234, период 2026-10, "
        "услуга hvs уже есть в строке 2"
    ) in output


@pytest.mark.parametrize(
    ("file", "text", "where"),
    [
        (
            "houses",
            HOUSES.replace("3250,40", "10000000000000"),
            "houses.csv, строка 2, столбец «total_area»: «10000000000000» — не более 12 знаков",
        ),
        (
            "accounts",
            ACCOUNTS.replace("кв. 5", "кв. " + "5" * 70),
            "accounts.csv, строка 2, столбец «flat»: не длиннее 64 знаков, а здесь 74",
        ),
        (
            "accounts",
            ACCOUNTS.replace("54,30", "54,305"),
            "accounts.csv, строка 2, столбец «area»: «54,305» — не более 8 знаков до запятой и 2",
        ),
    ],
    ids=["house-area", "flat", "flat-area"],
)
def test_a_value_beyond_its_column_is_named_and_nothing_loads(
    tmp_path: Path, env: dict[str, str], file: str, text: str, where: str
) -> None:
    assert where in import_refused(env, tmp_path, **{file: text})


def test_two_pending_readings_of_one_meter_and_period_are_refused_naming_both_lines(
    tmp_path: Path, env: dict[str, str]
) -> None:
    readings = (
        "reading;meter;period;value;taken_at;source;status\n"
        "r1;W1;2026-10;1;01.10.2026;Оператор;Принято\n"
        "r2;W1;2026-10;2;02.10.2026;Оператор;Принято\n"
    )
    texts = {"houses": HOUSES, "services": SERVICES, "accounts": ACCOUNTS, "meters": METERS}
    paths = [write(tmp_path, f"{name}.csv", text) for name, text in texts.items()]

    result = lk(env, "import", *paths, write(tmp_path, "readings.csv", readings))

    assert result.exit_code == 3, result.output
    assert (
        "readings.csv, строка 3, столбец «status»: у прибора учёта W1 за 2026-10 уже есть "
        "принятое показание r1 (строка 2)"
    ) in result.output
    assert stored(env) == NOTHING


# --- lk readings import-results -----------------------------------------------------------


def test_a_nul_in_billings_reason_is_named_and_nothing_loads(
    tmp_path: Path, env: dict[str, str]
) -> None:
    texts = {"houses": HOUSES, "services": SERVICES, "accounts": ACCOUNTS, "meters": METERS}
    assert (
        lk(env, "import", *(write(tmp_path, f"{n}.csv", t) for n, t in texts.items())).exit_code
        == 0
    )
    results = (
        RESULTS_HEADER + "b-1;W1;;11.2026;5;26.11.2026 03:00;Контролёр;Отклонено;нет\x00пломбы\n"
    )

    result = lk(env, "readings", "import-results", write(tmp_path, "results.csv", results))

    assert result.exit_code == 3, result.output
    assert "results.csv, строка 2, столбец «reason»: управляющий символ (U+0000, знак 4)" in (
        result.output
    )
    assert stored(env)["readings"] == 0


# --- lk payments import-registry ----------------------------------------------------------


@pytest.fixture
def loaded(tmp_path: Path, env: dict[str, str]) -> dict[str, str]:
    """Houses and accounts loaded, nothing else."""
    paths = [write(tmp_path, "houses.csv", HOUSES), write(tmp_path, "accounts.csv", ACCOUNTS)]
    assert lk(env, "import", *paths).exit_code == 0
    return env


def registry_refused(env: dict[str, str], folder: Path, *lines: str) -> tuple[str, str]:
    path = write(folder, "r.csv", "".join(lines), "cp1251")

    result = lk(env, "payments", "import-registry", path, "--bank", "sberbank")

    assert result.exit_code == 3, result.output
    assert (stored(env)["payments"], stored(env)["registry_lines"]) == (0, 0)
    return path, result.output


def line(operation: str = "510011", payer: str = "КОРОЛЁВА АННА ПЕТРОВНА") -> str:
    return REGISTRY_LINE.format(operation=operation, payer=payer)


def test_a_nul_in_a_registry_payer_is_named_and_nothing_loads(
    tmp_path: Path, loaded: dict[str, str]
) -> None:
    path, output = registry_refused(loaded, tmp_path, line(), line("510012", "ИВАНОВ\x00ИВАН"))

    assert f"{path}:2:7: управляющий символ (U+0000, знак 7)" in output


def test_an_operation_named_twice_in_a_registry_names_both_lines(
    tmp_path: Path, loaded: dict[str, str]
) -> None:
    path, output = registry_refused(loaded, tmp_path, line(), line("510012"), line())

    assert f"{path}:3:5: операция 510011 уже есть в строке 1" in output


def test_an_operation_number_too_long_for_its_column_is_named_and_nothing_loads(
    tmp_path: Path, loaded: dict[str, str]
) -> None:
    path, output = registry_refused(loaded, tmp_path, line("5" * 100))

    assert f"{path}:1:5: номер операции длиннее 64 знаков" in output
