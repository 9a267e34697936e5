"""Row readers of billing files: a good row becomes a domain value, a bad one a RowProblem."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lk_core.accounts.account import AccountNumber, House
from lk_core.accounts.contacts import Email, Phone
from lk_core.billing_import.fields import RowProblem
from lk_core.billing_import.kinds import FileKind, column_index
from lk_core.billing_import.rows import KnownKeys, reader_for
from lk_core.kernel.money import Money
from lk_core.kernel.periods import Period
from lk_core.ledger.lines import LedgerLine
from lk_core.ledger.services import Service
from lk_core.payments.payment import PaymentChannel
from lk_core.readings.meters import DigitCapacity, MeterKind, TariffZone
from lk_core.readings.reading import EntryStatus, ReadingSource

MOSCOW = ZoneInfo("Europe/Moscow")
CLOSED = Period(2026, 9)

GOOD_ROWS: dict[FileKind, dict[str, str]] = {
    FileKind.HOUSES: {
        "house": "H2",
        "address": "г. Пример, ул. Ленина, 1",
        "total_area": "3 456,7",
    },
    FileKind.SERVICES: {
        "service": "GVS",
        "name": "Горячее водоснабжение",
        "unit": "м³",
        "provider": "ООО «Водоканал»",
    },
    FileKind.ACCOUNTS: {
        "account": "100235-б",
        "house": "H1",
        "payer": "  Петров   Пётр Петрович ",
        "flat": "12",
        "rooms": "2",
        "area": "54,3",
        "residents": "3",
        "phone": "8 916 123-45-67",
        "email": "Petrov@Mail.RU",
    },
    FileKind.METERS: {
        "meter": "M2",
        "kind": "ИПУ",
        "service": "EL",
        "serial": "0123456",
        "integer_digits": "5",
        "fraction_digits": "1",
        "zones": "День, ночь",
        "account": "100234",
        "installed_on": "01.02.2020",
        "next_verification_on": "2030-02-01",
        "archived": "нет",
    },
    FileKind.LEDGER: {
        "account": "100234",
        "period": "2026-10",
        "service": "HVS",
        "opening": "100,00",
        "charged": "523,45",
        "recalculation": "-10,00",
        "paid": "100,00",
        "closing": "513,45",
        "volume": "5,5",
        "tariff": "95,17",
        "recalculation_reason": "акт о протечке",
    },
    FileKind.PAYMENTS: {
        "payment": "P-1",
        "account": "100234",
        "date": "15.10.2026",
        "amount": "1 500,00",
        "payer": "Федоров И. П.",
    },
    FileKind.READINGS: {
        "reading": "R-1",
        "meter": "M1",
        "zone": "",
        "period": "10.2026",
        "value": "12345,5",
        "taken_at": "20.10.2026 12:30",
        "source": "Личный кабинет",
        "status": "",
    },
}


def known_keys() -> KnownKeys:
    return KnownKeys(
        houses={"H1"},
        services={"HVS", "EL"},
        accounts={"100234"},
        meters={"M1"},
        closed_periods={CLOSED.code},
    )


def read(kind: FileKind, known: KnownKeys | None = None, /, **changes: str):
    """Read one row of a file of this kind: the good row with some fields changed."""
    header = [column.name for column in kind.columns]
    values = GOOD_ROWS[kind] | changes
    row = [values.get(name, "") for name in header]
    reader = reader_for(kind, column_index(kind, header), known or known_keys(), MOSCOW)
    return reader(row)


def problem_with(kind: FileKind, /, **changes: str) -> RowProblem:
    with pytest.raises(RowProblem) as problem:
        read(kind, **changes)
    return problem.value


# --- houses and services --------------------------------------------------------------


def test_good_house_row_becomes_a_house_and_becomes_known():
    known = known_keys()
    assert read(FileKind.HOUSES, known) == House(
        "H2", "г. Пример, ул. Ленина, 1", Decimal("3456.7")
    )
    assert "H2" in known.houses


def test_good_service_row_becomes_a_service_and_becomes_known():
    known = known_keys()
    assert read(FileKind.SERVICES, known) == Service(
        "GVS", "Горячее водоснабжение", "м³", "ООО «Водоканал»"
    )
    assert "GVS" in known.services


def test_service_row_without_optional_columns_is_read():
    header = ["Код услуги", "Наименование услуги"]
    row = ["EL", "Электроснабжение"]
    reader = reader_for(
        FileKind.SERVICES, column_index(FileKind.SERVICES, header), known_keys(), MOSCOW
    )
    assert reader(row) == Service("EL", "Электроснабжение")


# --- accounts -------------------------------------------------------------------------


def test_good_account_row_becomes_an_account_and_becomes_known():
    known = known_keys()
    account = read(FileKind.ACCOUNTS, known)
    assert account.number == AccountNumber("100235", "Б")
    assert str(account.number) == "100235-Б"
    assert account.payer_name == "Петров Пётр Петрович"
    assert (account.rooms, account.area, account.residents) == (2, Decimal("54.3"), 3)
    assert account.phone == Phone("+79161234567")
    assert account.email == Email("Petrov@mail.ru")
    assert "100235" in known.accounts


def test_account_row_without_phone_or_email_has_none():
    account = read(FileKind.ACCOUNTS, phone="", email="")
    assert account.phone is None
    assert account.email is None


# --- meters ---------------------------------------------------------------------------


def test_good_individual_meter_row_becomes_a_meter_of_its_account():
    known = known_keys()
    meter = read(FileKind.METERS, known)
    assert meter.kind is MeterKind.INDIVIDUAL
    assert meter.account_key == "100234"
    assert meter.house_code is None
    assert meter.capacity == DigitCapacity(5, 1)
    assert meter.zones == (TariffZone.DAY, TariffZone.NIGHT)
    assert meter.installed_on == dt.date(2020, 2, 1)
    assert meter.next_verification_on == dt.date(2030, 2, 1)
    assert not meter.archived
    assert "M2" in known.meters


def test_good_common_meter_row_becomes_a_meter_of_its_house():
    meter = read(FileKind.METERS, kind="ОДПУ", account="", house="H1", zones="", archived="да")
    assert meter.kind is MeterKind.COMMON
    assert meter.house_code == "H1"
    assert meter.account_key is None
    assert meter.zones == (TariffZone.SINGLE,)
    assert meter.archived


def test_meter_row_without_fraction_digits_has_a_whole_number_counter():
    assert read(FileKind.METERS, fraction_digits="").capacity == DigitCapacity(5, 0)


@pytest.mark.parametrize(
    ("column", "value"),
    [("integer_digits", "0"), ("integer_digits", "13"), ("fraction_digits", "7")],
)
def test_meter_row_with_a_digit_capacity_no_counter_has_is_a_row_problem(column, value):
    assert problem_with(FileKind.METERS, **{column: value}).column == column


# --- ledger ---------------------------------------------------------------------------


def test_good_ledger_row_becomes_a_bulk_tuple_of_kopecks_and_the_period_is_seen():
    known = known_keys()
    assert read(FileKind.LEDGER, known) == (
        "100234",
        202610,
        "HVS",
        10000,
        52345,
        -1000,
        10000,
        "5.5",
        "95.17",
        "акт о протечке",
    )
    assert known.periods_seen == {202610}


def test_ledger_row_names_its_account_by_digits_whatever_its_letter_index():
    assert read(FileKind.LEDGER, account="100234-А")[0] == "100234"


def test_ledger_row_without_a_stated_closing_or_optional_fields_is_read():
    row = read(
        FileKind.LEDGER, closing="", volume="", tariff="", recalculation="", recalculation_reason=""
    )
    assert row[5] == 0
    assert row[7:] == (None, None, "")


def test_ledger_file_without_optional_columns_is_read():
    header = ["Лицевой счёт", "Период", "Код услуги", "Сальдо входящее", "Начислено", "Оплачено"]
    reader = reader_for(
        FileKind.LEDGER, column_index(FileKind.LEDGER, header), known_keys(), MOSCOW
    )
    assert reader(["100234", "10.2026", "EL", "0,00", "1 200,50", "0"]) == (
        "100234", 202610, "EL", 0, 120050, 0, 0, None, None, "",
    )  # fmt: skip


def test_ledger_row_shorter_than_the_header_names_the_first_missing_amount():
    header = [column.name for column in FileKind.LEDGER.columns]
    reader = reader_for(
        FileKind.LEDGER, column_index(FileKind.LEDGER, header), known_keys(), MOSCOW
    )
    with pytest.raises(RowProblem) as raised:
        reader(["100234", "2026-10", "EL", "1,00", "2,00"])
    assert raised.value.column == "paid"


def test_ledger_row_without_optional_columns_reads_them_as_absent():
    header = ["account", "period", "service", "opening", "charged", "paid"]
    reader = reader_for(
        FileKind.LEDGER, column_index(FileKind.LEDGER, header), known_keys(), MOSCOW
    )
    assert reader(["100234", "2026-10", "EL", "1,00", "2,00", "0,50"]) == (
        "100234", 202610, "EL", 100, 200, 0, 50, None, None, "",
    )  # fmt: skip


AMOUNTS = st.integers(min_value=-(10**13), max_value=10**13)


def written(kopecks: int) -> str:
    sign = "-" if kopecks < 0 else ""
    rubles, kop = divmod(abs(kopecks), 100)
    return f"{sign}{rubles},{kop:02d}"


@given(AMOUNTS, AMOUNTS, AMOUNTS, AMOUNTS)
def test_ledger_row_is_accepted_when_its_stated_closing_obeys_the_identity(o, c, r, p):
    stated = o + c + r - p
    row = read(
        FileKind.LEDGER,
        opening=written(o),
        charged=written(c),
        recalculation=written(r),
        paid=written(p),
        closing=written(stated),
    )
    assert row[3:7] == (o, c, r, p)
    line = LedgerLine(row[0], Period.from_code(row[1]), row[2], *map(Money, row[3:7]))
    assert line.closing == Money(stated)


@given(AMOUNTS, AMOUNTS, AMOUNTS, AMOUNTS, AMOUNTS.filter(bool))
def test_ledger_row_whose_stated_closing_disagrees_by_any_amount_is_refused(o, c, r, p, error):
    problem = problem_with(
        FileKind.LEDGER,
        opening=written(o),
        charged=written(c),
        recalculation=written(r),
        paid=written(p),
        closing=written(o + c + r - p + error),
    )
    assert problem.column == "closing"
    assert (
        problem.reason == "исходящее сальдо не равно входящему + начислено + перерасчёт − оплачено"
    )


# --- payments -------------------------------------------------------------------------


def test_good_payment_row_becomes_a_billing_payment():
    payment = read(FileKind.PAYMENTS)
    assert payment.external_id == "P-1"
    assert payment.account_key == "100234"
    assert payment.paid_on == dt.date(2026, 10, 15)
    assert payment.amount == Money(150000)
    assert payment.channel is PaymentChannel.BILLING
    assert payment.payer == "Федоров И. П."


# --- readings -------------------------------------------------------------------------


def test_good_reading_row_becomes_a_calculated_reading_taken_at_a_utc_moment():
    known = known_keys()
    reading = read(FileKind.READINGS, known)
    assert reading.id == "R-1"
    assert reading.meter_id == "M1"
    assert reading.zone is TariffZone.SINGLE
    assert reading.period == Period(2026, 10)
    assert reading.value == Decimal("12345.5")
    assert reading.taken_at == dt.datetime(2026, 10, 20, 9, 30, tzinfo=dt.UTC)
    assert reading.source is ReadingSource.PORTAL
    assert reading.status is EntryStatus.CALCULATED
    assert known.periods_seen == {202610}


@pytest.mark.parametrize(
    ("changes", "zone", "source", "status"),
    [
        (
            {"zone": "night", "source": "average", "status": "accepted"},
            "NIGHT",
            "AVERAGE",
            "ACCEPTED",
        ),
        (
            {"zone": "Ночь", "source": "По нормативу", "status": "Принято"},
            "NIGHT",
            "NORM",
            "ACCEPTED",
        ),
        (
            {"zone": "ДЕНЬ", "source": "ОПЕРАТОР", "status": "Рассчитано"},
            "DAY",
            "OPERATOR",
            "CALCULATED",
        ),
    ],
)
def test_reading_zone_source_and_status_are_read_by_code_or_russian_label(
    changes, zone, source, status
):
    reading = read(FileKind.READINGS, **changes)
    assert reading.zone is TariffZone[zone]
    assert reading.source is ReadingSource[source]
    assert reading.status is EntryStatus[status]


def test_reading_row_with_an_unknown_zone_names_the_zone_column():
    assert problem_with(FileKind.READINGS, zone="утро").column == "zone"


# --- bad rows of every kind -----------------------------------------------------------


BAD_ROWS = [
    (FileKind.HOUSES, {"house": ""}, "house", "Не указан код дома"),
    (FileKind.HOUSES, {"address": " "}, "address", "не указан адрес дома"),
    (FileKind.HOUSES, {"total_area": "много"}, "total_area", "«много» — не число"),
    (FileKind.HOUSES, {"total_area": ""}, "total_area", "значение не указано"),
    (FileKind.SERVICES, {"service": ""}, "service", "Код услуги"),
    (FileKind.SERVICES, {"service": "код услуги"}, "service", "Код услуги"),
    (FileKind.SERVICES, {"name": ""}, "service", "Не указано название услуги"),
    (FileKind.ACCOUNTS, {"account": "абв"}, "account", "Номер лицевого счёта — это цифры"),
    (FileKind.ACCOUNTS, {"house": "H9"}, "house", "дом H9 не загружен"),
    (FileKind.ACCOUNTS, {"payer": "   "}, "payer", "не указано ФИО плательщика"),
    (FileKind.ACCOUNTS, {"phone": "123"}, "phone", "Укажите номер телефона"),
    (FileKind.ACCOUNTS, {"email": "petrov@"}, "email", "Укажите адрес электронной почты"),
    (FileKind.ACCOUNTS, {"rooms": "-1"}, "rooms", "не целое неотрицательное число"),
    (FileKind.ACCOUNTS, {"area": ""}, "area", "значение не указано"),
    (FileKind.ACCOUNTS, {"residents": "три"}, "residents", "не целое неотрицательное число"),
    (FileKind.METERS, {"meter": ""}, "meter", "Не указан код прибора учёта"),
    (FileKind.METERS, {"kind": "счётчик"}, "kind", "тип прибора учёта: ИПУ или ОДПУ"),
    (FileKind.METERS, {"service": "GAS"}, "service", "услуга GAS не загружена"),
    (FileKind.METERS, {"account": "999"}, "account", "лицевой счёт 999 не загружен"),
    (FileKind.METERS, {"account": ""}, "account", "Номер лицевого счёта — это цифры"),
    (FileKind.METERS, {"kind": "ОДПУ", "house": "H9"}, "house", "дом H9 не загружен"),
    (FileKind.METERS, {"kind": "одпу", "house": ""}, "house", "дом (пусто) не загружен"),
    (FileKind.METERS, {"zones": "день, утро"}, "zones", "неизвестная тарифная зона «утро»"),
    (FileKind.METERS, {"integer_digits": "пять"}, "integer_digits", "«пять» — не целое"),
    (FileKind.METERS, {"fraction_digits": "-1"}, "fraction_digits", "«-1» — не целое"),
    (FileKind.METERS, {"installed_on": "2020"}, "installed_on", "«2020» — не дата"),
    (FileKind.METERS, {"next_verification_on": "31.02.2030"}, "next_verification_on", "не дата"),
    (FileKind.METERS, {"archived": "может быть"}, "archived", "ожидается «да» или «нет»"),
    (FileKind.LEDGER, {"account": "999"}, "account", "лицевой счёт 999 не загружен"),
    (FileKind.LEDGER, {"account": ""}, "account", "Номер лицевого счёта — это цифры"),
    (FileKind.LEDGER, {"period": "2026-09"}, "period", "период 2026-09 закрыт"),
    (FileKind.LEDGER, {"period": "09.2026"}, "period", "период 2026-09 закрыт"),
    (FileKind.LEDGER, {"period": "2026-13"}, "period", "нет такого месяца"),
    (FileKind.LEDGER, {"period": "сентябрь"}, "period", "не период"),
    (FileKind.LEDGER, {"service": "GAS"}, "service", "услуга GAS не загружена"),
    (FileKind.LEDGER, {"opening": "сто"}, "opening", "«сто» — не сумма в рублях"),
    (FileKind.LEDGER, {"charged": "523,456"}, "charged", "не сумма в рублях"),
    (FileKind.LEDGER, {"recalculation": "1.000,00"}, "recalculation", "не сумма в рублях"),
    (FileKind.LEDGER, {"paid": "+100,00"}, "paid", "не сумма в рублях"),
    (FileKind.LEDGER, {"closing": "513,46"}, "closing", "исходящее сальдо не равно"),
    (FileKind.LEDGER, {"closing": "x"}, "closing", "не сумма в рублях"),
    (FileKind.LEDGER, {"volume": "-1"}, "volume", "не число"),
    (FileKind.LEDGER, {"tariff": "бесплатно"}, "tariff", "не число"),
    (FileKind.PAYMENTS, {"payment": ""}, "payment", "Не указан номер платежа"),
    (FileKind.PAYMENTS, {"account": "999"}, "account", "лицевой счёт 999 не загружен"),
    (FileKind.PAYMENTS, {"date": ""}, "date", "дата не указана"),
    (FileKind.PAYMENTS, {"date": "15/10/2026"}, "date", "не дата"),
    (FileKind.PAYMENTS, {"amount": "0,00"}, "amount", "сумма платежа должна быть больше нуля"),
    (FileKind.PAYMENTS, {"amount": "-5,00"}, "amount", "сумма платежа должна быть больше нуля"),
    (FileKind.PAYMENTS, {"amount": "пять"}, "amount", "не сумма в рублях"),
    (FileKind.READINGS, {"meter": "M9"}, "meter", "прибор учёта M9 не загружен"),
    (FileKind.READINGS, {"period": "09.2026"}, "period", "период 2026-09 закрыт"),
    (FileKind.READINGS, {"value": "-1"}, "value", "не число"),
    (FileKind.READINGS, {"value": ""}, "value", "значение не указано"),
    (FileKind.READINGS, {"source": "сосед"}, "source", "неизвестный источник показания «сосед»"),
    (FileKind.READINGS, {"status": "потеряно"}, "status", "неизвестный статус «потеряно»"),
    (FileKind.READINGS, {"reading": ""}, "reading", "не указан код показания"),
    (FileKind.READINGS, {"taken_at": "вчера"}, "taken_at", "не дата"),
    (FileKind.READINGS, {"taken_at": "20.10.2026 полдень"}, "taken_at", "не время"),
]


@pytest.mark.parametrize(
    ("kind", "changes", "column", "reason"),
    BAD_ROWS,
    ids=[f"{kind.value}-{'-'.join(changes)}-{i}" for i, (kind, changes, *_) in enumerate(BAD_ROWS)],
)
def test_bad_row_is_a_row_problem_naming_its_column_and_reason(kind, changes, column, reason):
    problem = problem_with(kind, **changes)
    assert problem.column == column
    assert reason in problem.reason


def test_bad_row_adds_nothing_to_what_is_known():
    known = known_keys()
    with pytest.raises(RowProblem):
        read(FileKind.ACCOUNTS, known, house="H9")
    assert known.accounts == {"100234"}
    with pytest.raises(RowProblem):
        read(FileKind.LEDGER, known, period="2026-09")
    assert known.periods_seen == set()


def test_row_may_refer_to_what_an_earlier_file_of_the_same_load_brought():
    known = known_keys()
    read(FileKind.HOUSES, known)
    account = read(FileKind.ACCOUNTS, known, house="H2")
    assert read(FileKind.LEDGER, known, account=str(account.number))[0] == "100235"


# --- what a row holds fits the columns that store it (issue 17) ---------------------------

CONTROL = "управляющий символ"
LONG = "не длиннее"
# A value the column cannot hold, a value that just fits (or None), and the reason.
OUT_OF_RANGE: list[tuple[FileKind, str, str, str | None, str]] = [
    (FileKind.HOUSES, "house", "Д" * 65, "Д" * 64, LONG),
    (FileKind.HOUSES, "address", "ул. Ленина,\n1", "ул. Ленина, 1", CONTROL),
    (FileKind.HOUSES, "total_area", "1234567890123", "999999999999,99", "не более 12 знаков"),
    (FileKind.HOUSES, "total_area", "345,678", "345,670", "и 2 после"),
    (FileKind.SERVICES, "name", "Вода\x00", "Вода", CONTROL),
    (FileKind.SERVICES, "unit", "м" * 33, "м" * 32, LONG),
    (FileKind.SERVICES, "provider", "ООО\x1b[2J", "ООО [2J", CONTROL),
    (FileKind.ACCOUNTS, "payer", "Ефимов\x00 Роман", "Ефимов [/] Роман", CONTROL),
    (FileKind.ACCOUNTS, "payer", "Ефимов\x85Роман", "Ефимов…Роман", CONTROL),
    (FileKind.ACCOUNTS, "flat", "к" * 65, "к" * 64, LONG),
    (
        FileKind.ACCOUNTS,
        "rooms",
        "1" + "0" * 30,
        "2147483647",
        "больше 2\u00a0147\u00a0483\u00a0647",
    ),
    (FileKind.ACCOUNTS, "residents", "2147483648", "0002147483647", "больше"),
    (FileKind.ACCOUNTS, "area", "123456789", "99999999,990", "не более 8 знаков"),
    (FileKind.ACCOUNTS, "area", "54,305", "54,30", "и 2 после"),
    (FileKind.ACCOUNTS, "email", "a\x00b@mail.ru", "ab@mail.ru", CONTROL),
    (FileKind.METERS, "meter", "M" * 65, "M" * 64, LONG),
    (FileKind.METERS, "serial", "0" * 65, "0" * 64, LONG),
    (FileKind.METERS, "integer_digits", "9" * 5000, None, "больше"),
    (FileKind.LEDGER, "recalculation_reason", "акт\x00", "акт от 5.10\r\nпункт\t2", CONTROL),
    (FileKind.PAYMENTS, "payment", "P" * 129, "P" * 128, LONG),
    (FileKind.PAYMENTS, "payer", "Федоров\x00", "Федоров", CONTROL),
    (FileKind.READINGS, "reading", "R" * 65, "R" * 64, LONG),
    (FileKind.READINGS, "value", "1234567890123", "999999999999,999999", "не более 12 знаков"),
    (FileKind.READINGS, "value", "1,1234567", "1,1234560", "и 6 после"),
    (FileKind.READINGS, "taken_at", "01.01.0001", "01.01.0001 03:00", "вне допустимого диапазона"),
]


@pytest.mark.parametrize(
    ("kind", "column", "too_much", "fits", "reason"),
    OUT_OF_RANGE,
    ids=[f"{kind.value}-{column}-{i}" for i, (kind, column, *_) in enumerate(OUT_OF_RANGE)],
)
def test_a_value_its_column_cannot_hold_is_a_row_problem(kind, column, too_much, fits, reason):
    if fits is not None:
        read(kind, **{column: fits})
    problem = problem_with(kind, **{column: too_much})
    assert problem.column == column
    assert reason in problem.reason


def test_a_reason_for_refusing_a_reading_may_hold_line_breaks_but_no_other_control_character():
    reason = "нет пломбы;\r\nпредыдущее\tвыше"
    assert read(FileKind.READINGS, status="Отклонено", reason=reason).rejection_reason == reason
    problem = problem_with(FileKind.READINGS, status="Отклонено", reason="нет\x07")
    assert (problem.column, CONTROL in problem.reason) == ("reason", True)
