"""The demo company (F29): realistic, repeatable, and loadable like real billing files."""

from __future__ import annotations

import csv
import datetime as dt
import zoneinfo
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from lk_adapters.billing_files import csv_files_in
from lk_adapters.demo import demo_accounts_to_try, demo_company, write_demo_files
from lk_adapters.memory import InMemoryStore, InMemoryUnitOfWorkFactory
from lk_core.accounts.account import AccountNumber
from lk_core.billing_import.loader import ImportReport, load_billing_files
from lk_core.kernel.company import bank_account_is_valid, inn_is_valid
from lk_core.kernel.periods import Period
from lk_core.kernel.runtime import no_progress
from lk_core.ledger.lines import Settlement
from lk_core.readings.meters import DigitCapacity, MeterKind, TariffZone
from lk_core.unit_of_work import UnitOfWorkFactory

TODAY = dt.date(2026, 11, 18)
CURRENT = Period.of(TODAY)
MOSCOW = zoneinfo.ZoneInfo("Europe/Moscow")


def load(folder: Path) -> tuple[ImportReport, UnitOfWorkFactory]:
    factory = InMemoryUnitOfWorkFactory(InMemoryStore())
    report = load_billing_files(factory, csv_files_in(folder), tz=MOSCOW, progress=no_progress())
    return report, factory


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    write_demo_files(folder, today=TODAY)
    return folder


@pytest.fixture(scope="module")
def loaded(demo_folder: Path) -> UnitOfWorkFactory:
    report, factory = load(demo_folder)
    assert report.problems == ()
    return factory


def file_rows(folder: Path, kind: str) -> list[dict[str, str]]:
    with (folder / f"{kind}.csv").open(encoding="utf-8-sig", newline="") as file:
        return list(csv.DictReader(file, delimiter=";"))


def test_the_same_seed_and_day_give_the_same_files(tmp_path: Path, demo_folder: Path) -> None:
    paths = write_demo_files(tmp_path, today=TODAY)

    assert [p.name for p in paths] == [
        "houses.csv", "services.csv", "accounts.csv", "meters.csv",
        "ledger.csv", "payments.csv", "readings.csv",
    ]  # fmt: skip
    for path in paths:
        assert path.read_bytes() == (demo_folder / path.name).read_bytes()


def test_another_seed_gives_other_people(tmp_path: Path, demo_folder: Path) -> None:
    write_demo_files(tmp_path, seed=7, today=TODAY)

    assert file_rows(tmp_path, "accounts") != file_rows(demo_folder, "accounts")


# 2026-12-03 once drew a meter installed on 29 February 2024, whose verification fell due
# on a 29 February that does not exist; 2028-02-29 is itself a leap day.
@pytest.mark.parametrize(
    "today",
    [dt.date(2027, 1, 1), dt.date(2026, 7, 31), dt.date(2026, 12, 3), dt.date(2028, 2, 29)],
)
def test_demo_files_load_with_no_problems_whatever_the_day(tmp_path: Path, today: dt.date) -> None:
    write_demo_files(tmp_path, today=today)

    report, factory = load(tmp_path)

    assert report.loaded, report.problems[:5]
    with factory() as uow:
        assert 3 <= len(uow.houses.codes()) <= 4
        assert 280 <= uow.accounts.count() <= 320
        assert max(uow.ledger.periods_of("101001")) == Period.of(today)


def test_history_is_twelve_whole_months_and_the_current_one(loaded: UnitOfWorkFactory) -> None:
    with loaded() as uow:
        periods = uow.ledger.periods_of("101001")

    assert len(periods) == 13
    assert periods[0] == CURRENT
    assert periods[-1] == Period(CURRENT.year - 1, CURRENT.month)


def kopecks(text: str) -> int:
    return int(text.replace(",", ""))


def test_every_line_closes_as_it_opened_plus_charged_recalculated_and_paid(
    demo_folder: Path,
) -> None:
    closing: dict[tuple[str, str], int] = {}
    last_period: dict[tuple[str, str], Period] = {}
    for row in file_rows(demo_folder, "ledger"):
        key = (row["Лицевой счёт"], row["Код услуги"])
        period = Period.parse(row["Период"])
        opening = kopecks(row["Сальдо входящее"])
        assert kopecks(row["Сальдо исходящее"]) == (
            opening
            + kopecks(row["Начислено"])
            + kopecks(row["Перерасчёт"])
            - kopecks(row["Оплачено"])
        )
        if key in closing:
            assert last_period[key] == period.previous()
            assert opening == closing[key], (key, period)
        closing[key], last_period[key] = kopecks(row["Сальдо исходящее"]), period


def test_each_settlement_opens_with_the_previous_ones_closing(loaded: UnitOfWorkFactory) -> None:
    with loaded() as uow:
        for key in sorted(uow.accounts.keys())[::15]:
            previous: Settlement | None = None
            for period in sorted(uow.ledger.periods_of(key)):
                settlement = Settlement.of(key, period, uow.ledger.lines(key, period))
                assert settlement.closing == (
                    settlement.opening
                    + settlement.charged
                    + settlement.recalculation
                    - settlement.paid
                )
                if previous is not None:
                    assert settlement.opening == previous.closing, (key, period)
                previous = settlement


def test_charges_are_tariff_times_volume_to_the_kopeck(loaded: UnitOfWorkFactory) -> None:
    with loaded() as uow:
        lines = [
            line for p in uow.ledger.periods_of("102010") for line in uow.ledger.lines("102010", p)
        ]

    priced = [line for line in lines if line.tariff is not None and line.volume is not None]
    assert len(priced) > len(lines) // 2
    for line in priced:
        assert line.volume is not None
        assert line.tariff is not None
        expected = (line.tariff * line.volume).quantize(Decimal("0.01"), ROUND_HALF_UP)
        assert line.charged.to_decimal() == expected


def test_payments_add_up_to_what_the_ledger_says_was_paid(loaded: UnitOfWorkFactory) -> None:
    with loaded() as uow:
        for key in sorted(uow.accounts.keys())[::10]:
            paid_by_period = Counter[Period]()
            for payment in uow.payments.of_account(key):
                paid_by_period[Period.of(payment.paid_on)] += payment.amount.kopecks
            for period in uow.ledger.periods_of(key):
                lines = uow.ledger.lines(key, period)
                assert sum(line.paid.kopecks for line in lines) == paid_by_period[period]


def test_payment_ids_are_unique(demo_folder: Path) -> None:
    ids = [row["Номер платежа"] for row in file_rows(demo_folder, "payments")]

    assert len(ids) == len(set(ids)) > 1000


def test_metered_volumes_are_the_differences_of_readings(loaded: UnitOfWorkFactory) -> None:
    checked = 0
    with loaded() as uow:
        for key in sorted(uow.accounts.keys())[::12]:
            use: Counter[tuple[str, Period]] = Counter()
            for meter in uow.meters.of_account(key):
                readings = {(r.period, r.zone): r.value for r in uow.readings.of_meter(meter.id)}
                for (period, zone), value in readings.items():
                    before = readings.get((period.previous(), zone))
                    if before is not None:
                        use[(meter.service_code, period)] += value - before
            for (service, period), volume in use.items():
                line = {ln.service_code: ln for ln in uow.ledger.lines(key, period)}[service]
                assert line.volume == volume, (key, service, period)
                checked += 1
    assert checked > 100


def test_the_company_has_the_variety_a_newcomer_should_see(
    demo_folder: Path, loaded: UnitOfWorkFactory
) -> None:
    accounts = file_rows(demo_folder, "accounts")
    names = [row["ФИО"].split() for row in accounts]
    with loaded() as uow:
        keys = sorted(uow.accounts.keys())
        current = [Settlement.of(k, CURRENT, uow.ledger.lines(k, CURRENT)) for k in keys]
        meters = [m for k in keys for m in uow.meters.of_account(k)]
        common = [m for code in uow.houses.codes() for m in uow.meters.of_house(code)]

    assert all(len(name) == 3 for name in names)
    assert any(n[2].endswith("вич") for n in names)
    assert any(n[2].endswith(("вна", "чна")) for n in names)
    assert any("ё" in n[0] for n in names)
    assert any("-" in row["Лицевой счёт"] for row in accounts)
    assert sum(bool(row["Телефон"]) for row in accounts) > 50
    assert sum(bool(row["E-mail"]) for row in accounts) > 30
    assert sum(s.closing.kopecks < 0 for s in current) >= 3
    assert sum(s.closing.kopecks > 3 * s.charged.kopecks for s in current) >= 3
    reasons = [r["Основание перерасчёта"] for r in file_rows(demo_folder, "ledger")]
    assert sum(bool(reason) for reason in reasons) >= 5
    assert sum(m.archived for m in meters) == 1
    assert sum(not m.archived and m.verification_expired(TODAY) for m in meters) >= 2
    assert any(
        m.zones == (TariffZone.DAY, TariffZone.NIGHT) and m.capacity == DigitCapacity(6, 1)
        for m in meters
    )
    assert any(m.service_code == "HVS" and m.capacity == DigitCapacity(5, 3) for m in meters)
    assert any(m.service_code == "OTP" for m in meters)
    assert {m.house_code for m in common if m.kind is MeterKind.COMMON} == {
        row["Код дома"] for row in file_rows(demo_folder, "houses")
    }


def test_the_company_requisites_pass_validation() -> None:
    company = demo_company()

    assert inn_is_valid(company.inn)
    assert len(company.inn) == 10
    assert company.bic == "044525225"
    assert bank_account_is_valid(company.settlement_account, company.bic)
    assert bank_account_is_valid(company.correspondent_account, company.bic, correspondent=True)


def test_the_accounts_to_try_exist_with_those_surnames(
    demo_folder: Path, loaded: UnitOfWorkFactory
) -> None:
    pairs = demo_accounts_to_try(demo_folder)

    assert len(pairs) >= 3
    assert any("ё" in surname for _number, surname in pairs)
    assert any("-" in number for number, _surname in pairs)
    with loaded() as uow:
        for number, surname in pairs:
            account = uow.accounts.get(AccountNumber.parse(number).key)
            assert account is not None
            assert account.surname_matches(surname)
