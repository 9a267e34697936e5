"""`lk import` and `lk demo` as an operator runs them, on a real SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from lk_cli.main import cli

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
    return {"LK_DEMO": "1", "LK_DATABASE_URL": f"sqlite:///{tmp_path / 'lk.sqlite3'}"}


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


def test_demo_loads_the_demo_company_once_and_offers_accounts_to_try(
    tmp_path: Path, env: dict[str, str]
) -> None:
    first = run(env, "demo", "--folder", str(tmp_path / "demo"))
    assert first.exit_code == 0, first.output
    assert "Счета для пробы" in first.output
    status = run(env, "status").output
    assert "Закрытые периоды: нет" not in status
    second = run(env, "demo", "--folder", str(tmp_path / "demo"))
    assert "уже загружены" in second.output
    assert run(env, "status").output == status
