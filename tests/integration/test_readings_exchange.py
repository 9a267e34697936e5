"""`lk readings export` and `lk readings import-results` as an operator runs them (F23)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from lk_adapters.container import build_container
from lk_adapters.settings import load_settings
from lk_cli.main import cli
from lk_core.kernel.periods import Period
from lk_core.readings.meters import TariffZone
from lk_core.readings.reading import EntryStatus, Reading, ReadingSource

HOUSES = "house;address;total_area\nH1;г. Тверь, ул. Советская, д. 12;3250,40\n"
SERVICES = "service;name;unit\nHVS;Холодное водоснабжение;м³\nEE;Электроэнергия;кВт·ч\n"
ACCOUNTS = (
    "account;house;payer;flat;rooms;area;residents\n100234;H1;Королёва Анна Петровна;5;2;54,30;3\n"
)
METERS = (
    "meter;kind;service;serial;integer_digits;fraction_digits;zones;account;house\n"
    "W1;ИПУ;HVS;23254322;5;3;;100234;\n"
    "E1;ИПУ;EE;11978277;6;1;День,Ночь;100234;\n"
)
NOVEMBER = Period(2026, 11)
HEADER = (
    "Код показания;Код ПУ;Тарифная зона;Период;Показание;Дата показания;Источник;Статус;"
    "Причина отказа"
)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    environment = {"LK_DEMO": "1", "LK_DATABASE_URL": f"sqlite:///{tmp_path / 'lk.sqlite3'}"}
    files = []
    for name, text in [
        ("h.csv", HOUSES),
        ("s.csv", SERVICES),
        ("a.csv", ACCOUNTS),
        ("m.csv", METERS),
    ]:
        (tmp_path / name).write_text(text, encoding="utf-8")
        files.append(str(tmp_path / name))
    assert run(environment, "import", *files).exit_code == 0
    return environment


def run(env: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def uow_factory(env: dict[str, str], monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return build_container(load_settings()).uow_factory()


def pending(
    reading_id: str, meter: str, value: str, zone: TariffZone = TariffZone.SINGLE
) -> Reading:
    taken = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)
    return Reading(reading_id, meter, zone, NOVEMBER, Decimal(value), taken, ReadingSource.PORTAL)


@pytest.fixture
def submitted(env: dict[str, str], monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    factory = uow_factory(env, monkeypatch)
    with factory() as uow:
        uow.readings.add_pending(pending("p-w1", "W1", "123.45"))
        uow.readings.add_pending(pending("p-e1-day", "E1", "8100.5", TariffZone.DAY))
        uow.readings.add_pending(pending("p-e1-old", "E1", "3000", TariffZone.NIGHT))
        assert uow.readings.withdraw("p-e1-old", EntryStatus.DELETED)
        uow.commit()
    return factory


def statuses(factory) -> dict[str, tuple[EntryStatus, str]]:  # type: ignore[no-untyped-def]
    with factory() as uow:
        found = uow.readings.of_meters(["W1", "E1"])
    return {r.id: (r.status, r.rejection_reason) for r in found}


def test_export_writes_the_pending_readings_of_the_period_in_the_import_format(
    tmp_path: Path, env: dict[str, str], submitted
) -> None:
    target = tmp_path / "out.csv"

    result = run(env, "readings", "export", "--period", "2026-11", "--output", str(target))

    assert result.exit_code == 0, result.output
    assert "выгружено показаний — 2" in result.output
    assert target.read_text(encoding="utf-8-sig").splitlines() == [
        HEADER,
        "p-e1-day;E1;День;11.2026;8100,5;20.11.2026 12:30;Личный кабинет;Принято;",
        "p-w1;W1;;11.2026;123,45;20.11.2026 12:30;Личный кабинет;Принято;",
    ]


def test_export_of_a_period_that_is_not_a_period_is_refused(env: dict[str, str]) -> None:
    result = run(env, "readings", "export", "--period", "2026-13")

    assert result.exit_code == 2
    assert "нет такого месяца" in result.output


def results_file(tmp_path: Path, *lines: str) -> str:
    path = tmp_path / "results.csv"
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="cp1251")
    return str(path)


GOOD_RESULTS = (
    "p-w1;W1;;11.2026;123,45;20.11.2026 12:30;Личный кабинет;Рассчитано;",
    "p-e1-day;E1;День;11.2026;8100,5;20.11.2026 12:30;Личный кабинет;Отклонено;"
    "Прибор не опломбирован",
    "b-e1-night;E1;Ночь;11.2026;3010;26.11.2026 03:00;По среднему;Рассчитано;",
)


def test_results_mark_readings_calculated_or_rejected_and_load_billings_own(
    tmp_path: Path, env: dict[str, str], submitted
) -> None:
    result = run(env, "readings", "import-results", results_file(tmp_path, *GOOD_RESULTS))

    assert result.exit_code == 0, result.output
    assert "Рассчитано — 1, отклонено — 1, загружено снятых биллингом — 1" in result.output
    assert statuses(submitted) == {
        "p-w1": (EntryStatus.CALCULATED, ""),
        "p-e1-day": (EntryStatus.REJECTED, "Прибор не опломбирован"),
        "p-e1-old": (EntryStatus.DELETED, ""),
        "b-e1-night": (EntryStatus.CALCULATED, ""),
    }


def test_loading_the_same_results_again_changes_nothing(
    tmp_path: Path, env: dict[str, str], submitted
) -> None:
    path = results_file(tmp_path, *GOOD_RESULTS)
    run(env, "readings", "import-results", path)
    before = statuses(submitted)

    again = run(env, "readings", "import-results", path)

    assert again.exit_code == 0, again.output
    assert "без изменений — 3" in again.output
    assert statuses(submitted) == before


def test_a_results_file_with_bad_lines_changes_nothing_and_names_each_line(
    tmp_path: Path, env: dict[str, str], submitted
) -> None:
    before = statuses(submitted)
    path = results_file(
        tmp_path,
        GOOD_RESULTS[0],
        "p-e1-day;E1;День;11.2026;8100,5;20.11.2026 12:30;Личный кабинет;Отклонено;",
        "p-e1-old;E1;Ночь;11.2026;3000;20.11.2026 12:30;Личный кабинет;Рассчитано;",
        "x-1;NOPE;;11.2026;1;20.11.2026 12:30;Оператор;Рассчитано;",
    )

    result = run(env, "readings", "import-results", path)

    assert result.exit_code == 3
    assert (
        "results.csv, строка 3, столбец «reason»: у отклонённого показания должна быть причина"
        in result.output
    )
    assert (
        "results.csv, строка 4, столбец «status»: показание p-e1-old уже «Удалено»" in result.output
    )
    assert "results.csv, строка 5, столбец «meter»: прибор учёта NOPE не загружен" in result.output
    assert statuses(submitted) == before


def test_a_file_that_is_not_a_readings_file_is_refused_with_its_name(
    tmp_path: Path, env: dict[str, str]
) -> None:
    path = tmp_path / "wrong.csv"
    path.write_text("what;ever\n1;2\n", encoding="utf-8")

    result = run(env, "readings", "import-results", str(path))

    assert result.exit_code == 3
    assert "wrong.csv" in result.output
