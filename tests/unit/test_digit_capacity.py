"""Digit capacity (значность): which values a meter's counter can show."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lk_core.kernel.errors import InvalidValue
from lk_core.readings.meters import DigitCapacity, fraction_digits_of

CAPACITIES = st.builds(DigitCapacity, st.integers(1, 12), st.integers(0, 6))


def fits_by_the_book(value: Decimal, integer_digits: int, fraction_digits: int) -> bool:
    """The rule as written, on the number's plain decimal text: no sign, at most N digits
    before the point (leading zeros do not count), at most M after it (trailing zeros do not
    count)."""
    text = format(value, "f")
    if text.startswith("-"):
        return value == 0 and fits_by_the_book(-value, integer_digits, fraction_digits)
    whole, _, fraction = text.partition(".")
    return len(whole.lstrip("0")) <= integer_digits and len(fraction.rstrip("0")) <= fraction_digits


@st.composite
def decimals_near_capacity(draw):
    """Non-negative decimals written as typed: 0–14 digits before the point, 0–9 after it,
    so that values land on both sides of every capacity's limits."""
    whole = draw(st.text(alphabet="0123456789", max_size=14))
    fraction = draw(st.text(alphabet="0123456789", max_size=9))
    if not whole and not fraction:
        whole = "0"
    text = f"{whole or '0'}.{fraction}" if fraction else whole
    return Decimal(text)


@st.composite
def decimals_in_scientific_form(draw):
    """Values such as `1E+3` or `1.20E-2`, whose exponent alone does not tell their digits."""
    mantissa = draw(st.integers(0, 10**18))
    exponent = draw(st.integers(-12, 12))
    return Decimal(f"{mantissa}E{exponent}")


VALUES = decimals_near_capacity() | decimals_in_scientific_form()


@given(VALUES, CAPACITIES)
def test_value_fits_exactly_when_it_is_below_ten_to_the_n_with_at_most_m_fraction_digits(
    value, capacity
):
    expected = fits_by_the_book(value, capacity.integer_digits, capacity.fraction_digits)
    assert capacity.fits(value) is expected


@given(VALUES, CAPACITIES)
def test_integer_part_fits_exactly_when_the_value_is_below_the_rollover(value, capacity):
    assert capacity.integer_fits(value) is (value < Decimal(10**capacity.integer_digits))
    assert capacity.rollover == Decimal(10**capacity.integer_digits)


@given(VALUES)
def test_fraction_digits_are_the_significant_digits_after_the_point(value):
    fraction = format(value, "f").partition(".")[2]
    assert fraction_digits_of(value) == len(fraction.rstrip("0"))


@given(VALUES.filter(lambda v: v > 0), CAPACITIES)
def test_negative_values_never_fit(value, capacity):
    assert not capacity.fits(-value)


@pytest.mark.parametrize(
    ("text", "digits"),
    [("12.30", 1), ("12", 0), ("1E+2", 0), ("0.000", 0), ("0.001", 3), ("1.20E-2", 3), ("5.0", 0)],
)
def test_fraction_digits_ignore_trailing_zeros_and_exponent_form(text, digits):
    assert fraction_digits_of(Decimal(text)) == digits


def test_five_digit_counter_shows_up_to_99999():
    capacity = DigitCapacity(5)
    assert capacity.fraction_digits == 0
    assert capacity.fits(Decimal(99999))
    assert capacity.fits(Decimal("99999.000"))
    assert not capacity.fits(Decimal(100000))
    assert not capacity.fits(Decimal("99999.5"))
    assert capacity.rollover == Decimal(100000)


def test_counter_with_three_fraction_digits_shows_thousandths():
    capacity = DigitCapacity(6, 3)
    assert capacity.fits(Decimal("999999.999"))
    assert not capacity.fits(Decimal("999999.9991"))
    assert capacity.fits(Decimal("0"))


@pytest.mark.parametrize(("integer", "fraction"), [(0, 0), (13, 0), (-1, 0), (5, 7), (5, -1)])
def test_capacity_outside_what_counters_have_is_refused(integer, fraction):
    with pytest.raises(InvalidValue) as raised:
        DigitCapacity(integer, fraction)
    assert raised.value.field == ("integer_digits" if not 1 <= integer <= 12 else "fraction_digits")


@pytest.mark.parametrize(
    "text", ["0.999999999999999999999999999999", "9.9999999999999999999999999999"]
)
def test_value_with_more_than_28_digits_still_counts_its_fraction_digits(text):
    assert not DigitCapacity(1, 0).fits(Decimal(text))
