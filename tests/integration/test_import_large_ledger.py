"""`lk import` of a ledger big enough to be parsed in a child process (ADR 0010)."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from lk_adapters.billing_files.csv_source_file import PARSE_IN_CHILD_FROM_BYTES
from lk_cli.main import cli

HOUSES = "house;address;total_area\nH1;г. Тверь, ул. Советская, д. 12;3250,40\n"
SERVICES = "service;name;unit;provider\nhvs;Холодное водоснабжение;м³;ООО «Водоканал»\n"
ACCOUNTS = "account;house;payer;flat;rooms;area;residents\n" + "".join(
    f"{100_000 + n};H1;Иванов Иван Иванович;кв. {n};1;33,10;1\n" for n in range(500)
)
# A Cyrillic header: the file is UTF-8 from its first line.
LEDGER_HEADER = (
    "Лицевой счёт;Период;Код услуги;Сальдо входящее;Начислено;Перерасчёт;Оплачено;"
    "Сальдо исходящее;Объём\n"
)
PERIODS = [f"{year}-{month:02d}" for year in range(2021, 2027) for month in range(1, 13)]


def ledger_lines() -> list[str]:
    return [
        f"{100_000 + n};{period};hvs;100,00;250,50;0,00;100,00;250,50;12,345\n"
        for n in range(500)
        for period in PERIODS
    ]


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"LK_DEMO": "1", "LK_DATABASE_URL": f"sqlite:///{tmp_path / 'lk.sqlite3'}"}


def import_with(tmp_path: Path, env: dict[str, str], ledger: bytes) -> Result:
    (tmp_path / "ledger.csv").write_bytes(ledger)
    for name, text in (("houses", HOUSES), ("services", SERVICES), ("accounts", ACCOUNTS)):
        (tmp_path / f"{name}.csv").write_text(text, encoding="utf-8")
    names = ["ledger", "houses", "services", "accounts"]
    files = [str(tmp_path / f"{name}.csv") for name in names]
    return CliRunner().invoke(cli, ["import", *files], env=env)


def test_a_large_ledger_loads_with_its_periods(tmp_path: Path, env: dict[str, str]) -> None:
    ledger = (LEDGER_HEADER + "".join(ledger_lines())).encode()
    assert len(ledger) >= PARSE_IN_CHILD_FROM_BYTES

    result = import_with(tmp_path, env, ledger)

    assert result.exit_code == 0, result.output
    assert f"ledger.csv: загружено строк — {500 * len(PERIODS)}" in result.output
    status = CliRunner().invoke(cli, ["status"], env=env).output
    assert f"Строк начислений: {500 * len(PERIODS)}" in status
    assert "Открытые периоды: 2021-01" in status
    assert multiprocessing.active_children() == []


def test_bad_lines_deep_in_a_large_ledger_are_named_and_nothing_is_loaded(
    tmp_path: Path, env: dict[str, str]
) -> None:
    lines = ledger_lines()
    lines[20_000] = lines[20_000].replace("250,50;0,00", "250,5x;0,00")
    lines[30_000] = lines[30_000].replace(";hvs;", ";gas;")

    result = import_with(tmp_path, env, (LEDGER_HEADER + "".join(lines)).encode())

    assert result.exit_code == 3
    assert "ledger.csv, строка 20002, столбец «charged»" in result.output
    assert "ledger.csv, строка 30002, столбец «service»" in result.output
    status = CliRunner().invoke(cli, ["status"], env=env).output
    assert "Лицевых счетов: 0" in status


def test_undecodable_bytes_deep_in_a_large_ledger_name_their_line(
    tmp_path: Path, env: dict[str, str]
) -> None:
    lines = [line.encode() for line in ledger_lines()]
    lines[25_000] = "100001;2026-01;hvs;0,00;1,00;0,00;0,00;1,00;Объём\n".encode("cp1251")

    result = import_with(tmp_path, env, LEDGER_HEADER.encode() + b"".join(lines))

    assert result.exit_code == 3
    assert "ledger.csv, строка 25002" in result.output
    assert "не в кодировке UTF-8" in result.output
    assert multiprocessing.active_children() == []
