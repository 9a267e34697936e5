"""`lk import` and `lk demo` as an operator runs them, on a real SQLite file."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from lk_adapters.sqlalchemy.engine import make_engine
from lk_adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWorkFactory
from lk_cli.main import cli
from lk_core.access.registration import ConfirmationMethod, Registration
from lk_core.accounts.account import AccountNumber
from lk_core.accounts.contacts import Email

HOUSES = "house;address;total_area\nH1;г. Тверь, ул. Советская, д. 12;3250,40\n"
SERVICES = "service;name;unit;provider\nhvs;Холодное водоснабжение;м³;ООО «Водоканал»\n"
ACCOUNTS = (
    "account;house;payer;flat;rooms;area;residents;phone;email\n"
    "100234-А;H1;Королёва Анна Петровна;кв. 5;2;54,30;3;+7 912 345-67-89;anna@example.ru\n"
    "100235;H1;Иванов Иван Иванович;кв. 6;1;33,10;1;;\n"
)
LEDGER = (
    "account;period;service;opening;charged;recalculation;paid;closing\n"
    "100234;2026-10;hvs;100,00;250,50;0,00;100,00;250,50\n"
    "100235;2026-10;hvs;0,00;120,00;-10,00;0,00;110,00\n"
)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {
        "LK_DEMO": "1",
        "LK_DATABASE_URL": f"sqlite:///{tmp_path / 'lk.sqlite3'}",
        "LK_RECEIPTS_FOLDER": str(tmp_path / "receipts"),
        "COLUMNS": "100",
    }


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_text(text, encoding=encoding)
    return path


def run(env: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def billing_files(folder: Path, ledger: str = LEDGER) -> list[str]:
    return [
        str(write(folder, "ledger.csv", ledger)),
        str(write(folder, "accounts.csv", ACCOUNTS, "cp1251")),
        str(write(folder, "houses.csv", HOUSES)),
        str(write(folder, "services.csv", SERVICES)),
    ]


def test_import_loads_every_file_and_says_how_many_rows(
    tmp_path: Path, env: dict[str, str]
) -> None:
    result = run(env, "import", *billing_files(tmp_path))
    assert result.exit_code == 0, result.output
    assert "ledger.csv: загружено строк — 2" in result.output
    status = run(env, "status")
    assert "Лицевых счетов: 2" in status.output
    assert "Строк начислений: 2" in status.output
    assert "Открытые периоды: 2026-10" in status.output


def test_importing_the_same_files_twice_changes_nothing(
    tmp_path: Path, env: dict[str, str]
) -> None:
    files = billing_files(tmp_path)
    assert run(env, "import", *files).exit_code == 0
    first = run(env, "status").output
    assert run(env, "import", *files).exit_code == 0
    assert run(env, "status").output == first


def test_a_file_with_one_bad_line_changes_nothing_and_names_that_line(
    tmp_path: Path, env: dict[str, str]
) -> None:
    bad_ledger = LEDGER + "100235;2026-10;hvs;0,00;12,3x;0,00;0,00;\n"
    result = CliRunner().invoke(cli, ["import", *billing_files(tmp_path, bad_ledger)], env=env)
    assert result.exit_code == 3
    assert "ledger.csv, строка 4, столбец «charged»" in result.output
    status = run(env, "status")
    assert "Лицевых счетов: 0" in status.output
    assert "Строк начислений: 0" in status.output


def test_a_bad_configuration_exits_with_code_2_and_names_the_variable(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["status"], env={"LK_DEMO": "1", "LK_DATABASE_URL": "x://"})
    assert result.exit_code == 2
    assert "LK_DATABASE_URL" in result.output


def accounts_offered(output: str) -> list[str]:
    """The account numbers of the table «Счета для пробы»."""
    return re.findall(r"│ (\d+(?:-\w)?) +│", output)


def register(env: dict[str, str], number: str) -> None:
    engine = make_engine(env["LK_DATABASE_URL"])
    try:
        with SqlAlchemyUnitOfWorkFactory(engine)() as uow:
            registration = Registration(
                AccountNumber.parse(number).key,
                Email.parse(f"{number}@example.ru"),
                "argon2-hash",
                ConfirmationMethod.EMAIL,
                dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
            )
            registration.confirm(dt.datetime(2026, 11, 1, tzinfo=dt.UTC))
            uow.registrations.save(registration)
            uow.commit()
    finally:
        engine.dispose()


def test_demo_loads_the_demo_company_once_and_offers_accounts_not_yet_registered(
    tmp_path: Path, env: dict[str, str]
) -> None:
    first = run(env, "demo", "--folder", str(tmp_path / "demo"))
    assert first.exit_code == 0, first.output
    assert "Счета для пробы" in first.output
    offered = accounts_offered(first.output)
    assert len(offered) == 5
    status = run(env, "status").output
    assert "Закрытые периоды: нет" not in status
    register(env, offered[0])
    register(env, offered[-1])  # the one with a letter index

    second = run(env, "demo", "--folder", str(tmp_path / "demo"))

    assert "уже загружены" in second.output
    assert run(env, "status").output == status
    again = accounts_offered(second.output)
    assert len(again) == 5
    assert offered[0] not in again
    assert offered[-1] not in again
    assert set(offered[1:-1]) <= set(again)
