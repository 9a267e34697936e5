"""Money is whole kopecks: exact arithmetic, and text and decimals that round-trip."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lk_core.kernel.errors import InvalidValue
from lk_core.kernel.money import Money, total

NBSP = "\u00a0"

# Money.parse reads at most 15 digits of rubles, so the text laws are stated below 10^17 kopecks.
PARSEABLE_KOPECKS = st.integers(min_value=-(10**17) + 1, max_value=10**17 - 1)
# Decimal's default context keeps 28 significant digits.
DECIMAL_SAFE_KOPECKS = st.integers(min_value=-(10**26), max_value=10**26)


def rubles(kopecks: int) -> Decimal:
    """The exact decimal of an amount, built from text so no arithmetic can round it."""
    return Decimal(f"{kopecks}E-2")


# --- laws -----------------------------------------------------------------------------


@given(PARSEABLE_KOPECKS)
def test_formatted_amount_parses_back_to_the_same_money(kopecks):
    money = Money(kopecks)
    assert Money.parse(money.format(currency=False)) == money


@given(PARSEABLE_KOPECKS)
def test_amount_formatted_with_the_ruble_sign_parses_back_to_the_same_money(kopecks):
    money = Money(kopecks)
    assert Money.parse(money.format()) == money


@given(st.integers(), st.integers())
def test_addition_and_subtraction_agree_with_integer_arithmetic(a, b):
    assert (Money(a) + Money(b)).kopecks == a + b
    assert (Money(a) - Money(b)).kopecks == a - b
    assert Money(a) + Money(b) - Money(b) == Money(a)
    assert -Money(a) == Money(-a)


@given(st.integers(), st.integers())
def test_money_is_ordered_as_its_kopecks(a, b):
    assert (Money(a) < Money(b)) == (a < b)
    assert (Money(a) == Money(b)) == (a == b)


@given(st.lists(st.integers(), max_size=30))
def test_total_is_the_sum_of_the_kopecks(amounts):
    assert total([Money(k) for k in amounts]) == Money(sum(amounts))
    assert total(tuple(Money(k) for k in amounts)) == Money(sum(amounts))


@given(DECIMAL_SAFE_KOPECKS)
def test_to_decimal_gives_rubles_with_two_places_and_from_decimal_reads_them_back(kopecks):
    money = Money(kopecks)
    value = money.to_decimal()
    assert value == rubles(kopecks)
    assert value.as_tuple().exponent == -2
    assert Money.from_decimal(value) == money


@given(DECIMAL_SAFE_KOPECKS)
def test_from_decimal_ignores_trailing_zeros(kopecks):
    assert Money.from_decimal(Decimal(f"{kopecks}0E-3")) == Money(kopecks)


@given(
    st.integers(min_value=-(10**15), max_value=10**15).filter(lambda m: m % 10 != 0),
    st.integers(min_value=3, max_value=12),
)
def test_from_decimal_refuses_more_than_two_places(mantissa, places):
    value = Decimal(f"{mantissa}E-{places}")
    with pytest.raises(InvalidValue) as refused:
        Money.from_decimal(value)
    assert refused.value.field == "amount"
    assert refused.value.message_ru == "В сумме не может быть больше двух знаков копеек"


@given(st.floats())
def test_floats_are_refused_as_kopecks(value):
    with pytest.raises(TypeError):
        Money(value)


@pytest.mark.parametrize("value", [True, False, Decimal(1), "100"])
def test_bools_decimals_and_text_are_refused_as_kopecks(value):
    with pytest.raises(TypeError):
        Money(value)


# --- examples -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kopecks"),
    [
        ("1 234,56", 123456),
        ("1234.56", 123456),
        ("1234.5", 123450),
        ("1234,5", 123450),
        ("-12", -1200),
        ("−12,05", -1205),
        ("0,01", 1),
        ("  42  ", 4200),
        (f"1{NBSP}234,56{NBSP}₽", 123456),
        ("1\u202f234,56", 123456),
        ("100 руб.", 10000),
        ("-0", 0),
    ],
)
def test_amounts_are_read_as_written_in_billing_files_and_forms(text, kopecks):
    assert Money.parse(text) == Money(kopecks)


@pytest.mark.parametrize(
    "text", ["", "   ", "abc", "12,345", "1.234,56", "+5", "12,", ",50", "1 2 3,4,5", "--1"]
)
def test_text_that_is_not_an_amount_is_refused_with_a_russian_message(text):
    with pytest.raises(InvalidValue) as refused:
        Money.parse(text)
    assert refused.value.field == "amount"
    assert refused.value.message_ru == f"«{text}» — не сумма в рублях"


@pytest.mark.parametrize(
    ("kopecks", "shown"),
    [
        (0, f"0,00{NBSP}₽"),
        (5, f"0,05{NBSP}₽"),
        (123456, f"1{NBSP}234,56{NBSP}₽"),
        (1234567890, f"12{NBSP}345{NBSP}678,90{NBSP}₽"),
        (-150000, f"−1{NBSP}500,00{NBSP}₽"),
    ],
)
def test_amounts_are_shown_as_residents_read_them(kopecks, shown):
    assert Money(kopecks).format() == shown
    assert Money(kopecks).format(currency=False) == shown.removesuffix(f"{NBSP}₽")


def test_zero_is_falsy_and_only_negative_amounts_are_negative():
    assert Money.zero() == Money(0)
    assert not Money.zero()
    assert Money(1)
    assert Money(-1).is_negative
    assert not Money(0).is_negative
    assert not Money(1).is_negative


def test_total_of_nothing_is_zero():
    assert total([]) == Money(0)


@pytest.mark.parametrize(
    "value", [Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity"), 12.5, 12]
)
def test_from_decimal_refuses_what_is_not_a_finite_decimal(value):
    with pytest.raises(InvalidValue) as refused:
        Money.from_decimal(value)
    assert refused.value.message_ru == "Сумма должна быть числом"


def test_from_decimal_reads_rubles_and_kopecks():
    assert Money.from_decimal(Decimal("1234.56")) == Money(123456)
    assert Money.from_decimal(Decimal("-0.5")) == Money(-50)
    assert Money.from_decimal(Decimal("1E+3")) == Money(100000)


# --- bugs -----------------------------------------------------------------------------


def test_from_decimal_refuses_a_third_place_even_in_a_huge_amount():
    with pytest.raises(InvalidValue):
        Money.from_decimal(Decimal("12345678901234567890123456.789"))


def test_to_decimal_is_exact_even_for_a_huge_amount():
    kopecks = 10**30 + 1
    assert Money(kopecks).to_decimal() == rubles(kopecks)
