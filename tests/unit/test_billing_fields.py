"""Single fields of billing files: amounts, numbers, dates and yes/no, each naming its column."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lk_core.billing_import.fields import (
    MAX_WHOLE,
    RowProblem,
    date,
    decimal,
    kopecks,
    moment,
    text_field,
    whole,
    yes_no,
)
from lk_core.kernel.errors import InvalidValue
from lk_core.kernel.money import Money
from lk_core.readings.meters import fraction_digits_of

MOSCOW = ZoneInfo("Europe/Moscow")

# The slow path is Money.parse, which reads at most 15 digits of rubles.
AMOUNTS = st.integers(min_value=-(10**17) + 1, max_value=10**17 - 1)


def written(kopecks_: int, point: str) -> str:
    sign = "-" if kopecks_ < 0 else ""
    rubles, kop = divmod(abs(kopecks_), 100)
    return f"{sign}{rubles}{point}{kop:02d}"


def slow_path(text: str) -> int | None:
    try:
        return Money.parse(text).kopecks
    except InvalidValue:
        return None


def read(text: str) -> int | None:
    try:
        return kopecks(text, "charged")
    except RowProblem as problem:
        column = problem.column
    assert column == "charged"
    return None


# --- amounts --------------------------------------------------------------------------


@given(AMOUNTS, st.sampled_from([",", "."]))
def test_amount_in_the_common_form_is_read_to_the_kopeck(amount, point):
    text = written(amount, point)
    assert kopecks(text, "charged") == amount == slow_path(text)


@given(AMOUNTS, st.sampled_from([",", "."]), st.sampled_from([" ", "\u00a0", "  "]))
def test_fast_and_slow_paths_agree_on_every_amount(amount, point, padding):
    # The fast path takes `1234,56`; padding, a single decimal or grouping sends the same
    # amount down the slow path, and both must read it alike.
    text = written(amount, point)
    for form in [text, f"{padding}{text}{padding}", text.removesuffix("0"), f"{text} ₽"]:
        assert read(form) == slow_path(form) == amount


@given(st.text(alphabet="0123456789-−,. _\u00a0₽", max_size=18).filter(lambda t: t.strip()))
def test_fast_and_slow_paths_agree_on_any_text_as_amount_or_as_refusal(text):
    assert read(text) == slow_path(text)


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1234,56", 123456),
        ("1234.56", 123456),
        ("-0,50", -50),
        ("0,01", 1),
        ("-1234,5", -123450),
        ("1 234,56", 123456),
        ("−12,00", -1200),
        ("12", 1200),
    ],
)
def test_amounts_are_read_as_billing_systems_write_them(text, amount):
    assert kopecks(text, "paid") == amount


@pytest.mark.parametrize(
    "text", ["12,345", "abc", "1.234,56", "1_000,00", "+5,00", "12,3,4", "--1,00", "1e3", "-,50"]
)
def test_bad_amount_is_a_row_problem_naming_its_column(text):
    with pytest.raises(RowProblem) as problem:
        kopecks(text, "opening")
    assert problem.value.column == "opening"
    assert problem.value.reason == f"«{text}» — не сумма в рублях"
    assert str(problem.value) == f"opening: «{text}» — не сумма в рублях"


def test_amount_too_long_for_money_parse_is_refused_by_the_fast_path_too():
    with pytest.raises(RowProblem):
        kopecks("1234567890123456,00", "charged")


# --- decimals and whole numbers -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [("12,5", Decimal("12.5")), (" 1 234,500 ", Decimal("1234.500")), ("0", Decimal(0))],
)
def test_decimal_is_read_exactly(text, value):
    result = decimal(text, "volume")
    assert result == value
    assert str(result) == str(value)


def test_missing_decimal_is_none_when_optional_and_a_problem_otherwise():
    assert decimal("  ", "volume", optional=True) is None
    with pytest.raises(RowProblem) as problem:
        decimal("", "area")
    assert (problem.value.column, problem.value.reason) == ("area", "значение не указано")


@pytest.mark.parametrize("text", ["-1", "1e3", "12,", "абв", "1,2,3", "NaN"])
def test_negative_or_malformed_decimal_is_a_row_problem(text):
    with pytest.raises(RowProblem) as problem:
        decimal(text, "tariff")
    assert problem.value.column == "tariff"
    assert problem.value.reason == f"«{text}» — не число (ожидается, например, 12,5)"


@given(st.integers(0, 10**12 - 1), st.integers(0, 6))
def test_decimal_reads_back_any_non_negative_value_written_with_a_comma(units, places):
    value = Decimal(units).scaleb(-places)
    assert decimal(format(value, "f").replace(".", ","), "volume") == value


def test_whole_number_is_read_with_an_optional_default():
    assert whole(" 42 ", "rooms") == 42
    assert whole("", "fraction_digits", default=0) == 0
    assert whole("007", "rooms") == 7


@pytest.mark.parametrize("text", ["", "-1", "1.5", "два", "١٢", "²"])
def test_whole_number_that_is_missing_negative_or_not_ascii_digits_is_a_row_problem(text):
    with pytest.raises(RowProblem) as problem:
        whole(text, "residents")
    assert problem.value.column == "residents"
    assert problem.value.reason == f"«{text}» — не целое неотрицательное число"


# --- dates and moments ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("31.12.2026", dt.date(2026, 12, 31)),
        ("1.2.2026", dt.date(2026, 2, 1)),
        ("2026-12-31", dt.date(2026, 12, 31)),
        (" 01.10.2026 ", dt.date(2026, 10, 1)),
    ],
)
def test_date_is_read_in_russian_or_iso_form(text, day):
    assert date(text, "installed_on") == day


@pytest.mark.parametrize("text", ["31.02.2026", "2026-02-30", "завтра", "12/31/2026", "31.12.26"])
def test_impossible_or_malformed_date_is_a_row_problem(text):
    with pytest.raises(RowProblem) as problem:
        date(text, "next_verification_on")
    assert problem.value.column == "next_verification_on"
    assert problem.value.reason == f"«{text}» — не дата (ожидается ДД.ММ.ГГГГ)"


def test_missing_date_is_none_when_optional_and_a_problem_otherwise():
    assert date("", "installed_on", optional=True) is None
    with pytest.raises(RowProblem) as problem:
        date(" ", "date")
    assert problem.value.reason == "дата не указана"


@given(st.dates(dt.date(2000, 1, 1), dt.date(2100, 12, 31)))
def test_any_date_reads_back_from_both_forms(day):
    assert date(f"{day:%d.%m.%Y}", "date") == day
    assert date(day.isoformat(), "date") == day


def test_moment_in_the_company_time_zone_is_returned_in_utc():
    assert moment("20.10.2026 12:30", "taken_at", MOSCOW) == dt.datetime(
        2026, 10, 20, 9, 30, tzinfo=dt.UTC
    )
    at_midnight = moment("2026-10-20", "taken_at", MOSCOW)
    assert at_midnight == dt.datetime(2026, 10, 19, 21, 0, tzinfo=dt.UTC)
    assert at_midnight.utcoffset() == dt.timedelta(0)


@pytest.mark.parametrize("text", ["20.10.2026 25:00", "20.10.2026 полдень"])
def test_moment_with_a_bad_time_is_a_row_problem(text):
    with pytest.raises(RowProblem) as problem:
        moment(text, "taken_at", MOSCOW)
    assert problem.value.column == "taken_at"
    assert problem.value.reason == f"«{text}» — не время (ожидается ЧЧ:ММ)"


def test_moment_with_a_bad_date_is_a_row_problem():
    with pytest.raises(RowProblem) as problem:
        moment("32.10.2026 12:00", "taken_at", MOSCOW)
    assert problem.value.column == "taken_at"


# --- yes / no -------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["1", "да", "Да", " ДА ", "yes", "true", "y", "д"])
def test_yes_is_read_in_russian_or_english(text):
    assert yes_no(text, "archived") is True


@pytest.mark.parametrize("text", ["", "0", "нет", "Нет", "no", "false", "n", "н"])
def test_no_or_nothing_is_read_as_no(text):
    assert yes_no(text, "archived") is False


def test_anything_else_for_yes_or_no_is_a_row_problem():
    with pytest.raises(RowProblem) as problem:
        yes_no("может быть", "archived")
    assert problem.value.column == "archived"
    assert problem.value.reason == "«может быть» — ожидается «да» или «нет»"


@pytest.mark.parametrize("text", ["", "   "])
def test_an_empty_required_amount_is_a_problem_not_zero(text):
    with pytest.raises(RowProblem) as raised:
        kopecks(text, "paid")
    assert raised.value.column == "paid"
    assert raised.value.reason == "сумма не указана"


# --- text, and values that fit the columns that store them (issue 17) ------------------


@pytest.mark.parametrize(
    ("value", "named"),
    [
        ("Ива\x00нов", "U+0000, знак 4"),
        ("\x1b[31mИванов", "U+001B, знак 1"),
        ("Иванов\x7f", "U+007F, знак 7"),
        ("Иванов\x85Иван", "U+0085, знак 7"),
        ("Иванов\nИван", "U+000A, знак 7"),
        ("Иванов\tИван", "U+0009, знак 7"),
    ],
)
def test_a_control_character_in_a_text_field_is_named_with_its_place(value, named):
    with pytest.raises(RowProblem) as problem:
        text_field(value, "payer")
    assert problem.value.column == "payer"
    assert problem.value.reason == f"управляющий символ ({named}): такие символы не допускаются"


def test_free_text_may_hold_line_breaks_and_tabs_but_no_other_control_character():
    assert text_field("акт\r\nот 5.10\tN 7", "reason", line_breaks=True) == "акт\r\nот 5.10\tN 7"
    with pytest.raises(RowProblem, match="U\\+0000"):
        text_field("акт\x00", "reason", line_breaks=True)


def test_a_text_fits_its_column_up_to_the_column_size():
    assert text_field(" " + "д" * 64 + " ", "flat", max_length=64).strip() == "д" * 64
    with pytest.raises(RowProblem) as problem:
        text_field("д" * 65, "flat", max_length=64)
    assert problem.value.reason == "не длиннее 64 знаков, а здесь 65"


@given(st.text(max_size=20), st.integers(1, 20))
def test_a_text_is_accepted_exactly_when_it_has_no_control_character_and_fits(value, limit):
    fits = len(value.strip()) <= limit and not any(
        ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in value
    )
    try:
        text_field(value, "serial", max_length=limit)
    except RowProblem:
        assert not fits
    else:
        assert fits


@given(st.integers(0, 10**40))
def test_a_whole_number_is_read_exactly_when_a_32_bit_column_holds_it(number):
    if number <= MAX_WHOLE:
        assert whole(str(number), "rooms") == number
    else:
        with pytest.raises(RowProblem) as problem:
            whole(str(number), "rooms")
        assert problem.value.reason == f"«{number}» — больше 2\u00a0147\u00a0483\u00a0647"


def test_a_whole_number_of_thousands_of_digits_is_a_row_problem_not_a_crash():
    with pytest.raises(RowProblem, match="больше"):
        whole("9" * 5000, "residents")
    assert whole("0" * 5000 + "7", "residents") == 7


@given(st.integers(0, 10**20), st.integers(0, 10), st.integers(1, 14), st.integers(0, 6))
def test_a_decimal_is_read_exactly_when_its_digits_fit_its_column(
    units, places, integer_digits, fraction_digits
):
    value = Decimal(units).scaleb(-places)
    written = format(value, "f").replace(".", ",")

    def read() -> Decimal | None:
        return decimal(
            written, "area", integer_digits=integer_digits, fraction_digits=fraction_digits
        )

    if value < 10**integer_digits and fraction_digits_of(value) <= fraction_digits:
        assert read() == value
    else:
        with pytest.raises(RowProblem) as problem:
            read()
        assert problem.value.reason == (
            f"«{written}» — не более {integer_digits} знаков до запятой и {fraction_digits} после"
        )


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        ("01.01.0001", MOSCOW),
        ("0001-01-01 00:30", MOSCOW),
        ("31.12.9999 23:59", ZoneInfo("Etc/GMT+5")),
    ],
)
def test_a_moment_beyond_the_calendar_in_utc_is_a_row_problem_not_a_crash(text, zone):
    with pytest.raises(RowProblem) as problem:
        moment(text, "taken_at", zone)
    assert problem.value.reason == f"«{text}» — дата вне допустимого диапазона"
