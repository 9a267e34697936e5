"""The reading rules (F13): a meter accepts exactly the values the rules allow.

The rule book below is written from REGULATIONS.md ("Meter readings") and the docstring
of `check_reading`, independently of its code: a reading is refused, in this order, when
the meter is archived, its verification date has passed, it has no such tariff zone, the
value is negative, has more fraction digits than the counter shows, or more integer
digits; a value lower than the previous one is a rollover only when
value + 10^N − previous ≤ rollover_share × 10^N; and consumption above the recent
average × plausibility factor is implausible.
"""

import datetime as dt
import re
from decimal import Decimal

import attrs
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from lk_core.kernel.policies import ReadingPolicy
from lk_core.readings import errors
from lk_core.readings.errors import (
    MeterArchived,
    MeterVerificationExpired,
    ReadingImplausible,
    ReadingLessThanPrevious,
    ReadingNegative,
    ReadingRejected,
    ReadingTooManyFractionDigits,
    ReadingTooManyIntegerDigits,
    UnknownTariffZone,
)
from lk_core.readings.meters import DigitCapacity, Meter, MeterKind, TariffZone, fraction_digits_of
from lk_core.readings.rules import check_reading

Z = TariffZone
TODAY = dt.date(2026, 10, 20)
DEFAULT_POLICY = ReadingPolicy()
FIVE_DIGITS = DigitCapacity(5)
ZONE_SETS = [(Z.SINGLE,), (Z.DAY, Z.NIGHT), (Z.DAY, Z.NIGHT, Z.PEAK), (Z.PEAK, Z.HALF_PEAK)]
CYRILLIC = re.compile(r"[А-Яа-яЁё]")


@attrs.frozen
class Refused:
    """What the rule book expects instead of a consumption: the error and its data."""

    error: type[ReadingRejected]
    data: dict[str, object] = attrs.field(factory=dict)


def rule_book(
    meter: Meter,
    zone: TariffZone,
    value: Decimal,
    *,
    previous: Decimal | None,
    on: dt.date,
    recent_average: Decimal | None,
    policy: ReadingPolicy,
) -> Decimal | Refused:
    integer_digits = meter.capacity.integer_digits
    fraction_digits = meter.capacity.fraction_digits
    if meter.archived:
        return Refused(MeterArchived)
    if meter.next_verification_on is not None and on > meter.next_verification_on:
        return Refused(MeterVerificationExpired, {"due": meter.next_verification_on})
    if zone not in meter.zones:
        return Refused(UnknownTariffZone, {"zone": zone.value})
    text = format(value, "f")
    if text.startswith("-") and value != 0:
        return Refused(ReadingNegative)
    whole, _, fraction = text.lstrip("-").partition(".")
    if len(fraction.rstrip("0")) > fraction_digits:
        return Refused(ReadingTooManyFractionDigits, {"max_digits": fraction_digits})
    if len(whole.lstrip("0")) > integer_digits:
        return Refused(ReadingTooManyIntegerDigits, {"max_digits": integer_digits})
    if previous is None:
        return Decimal(0)
    counter_range = Decimal(10**integer_digits)
    if value >= previous:
        consumption = value - previous
    elif value + counter_range - previous <= policy.rollover_share * counter_range:
        consumption = value + counter_range - previous
    else:
        return Refused(ReadingLessThanPrevious, {"previous": previous})
    if recent_average is not None and recent_average > 0:
        limit = recent_average * policy.plausibility_factor
        if consumption > limit:
            return Refused(ReadingImplausible, {"consumption": consumption, "limit": limit})
    return consumption


# --- strategies -----------------------------------------------------------------------


def a_meter(capacity=FIVE_DIGITS, **changes) -> Meter:
    return Meter(
        id="M1",
        kind=MeterKind.INDIVIDUAL,
        service_code="EL",
        serial="0123456",
        capacity=capacity,
        account_key="100234",
        **changes,
    )


def one_in(draw, n: int) -> bool:
    """A 1-in-n choice whose simplest (shrunk) answer is False."""
    return draw(st.integers(0, n - 1)) == n - 1


@st.composite
def meters(draw):
    due = st.integers(-3, 3).map(lambda days: TODAY + dt.timedelta(days=days))
    return a_meter(
        capacity=DigitCapacity(draw(st.integers(1, 8)), draw(st.integers(0, 3))),
        zones=draw(st.sampled_from(ZONE_SETS)),
        archived=one_in(draw, 16),
        next_verification_on=draw(due) if one_in(draw, 4) else None,
    )


SHAPES = [
    "anywhere",
    "forward",
    "rolled over",
    "at the rollover limit",
    "wrapped",
    "backward",
    "at the plausibility limit",
    "over",
    "fractional",
    "negative",
]


@st.composite
def submissions(draw):
    """A meter, its previous value within capacity, and a new value of every kind."""
    meter = draw(meters())
    places = meter.capacity.fraction_digits
    steps = 10 ** (meter.capacity.integer_digits + places)  # counter positions
    unit = Decimal(1).scaleb(-places)

    def scaled(step: int) -> Decimal:
        return Decimal(step).scaleb(-places)

    policy = ReadingPolicy(
        rollover_share=draw(st.sampled_from([Decimal("0.05"), Decimal("0.1"), Decimal("0.5")])),
        plausibility_factor=draw(st.sampled_from([Decimal("1.5"), Decimal(3), Decimal(10)])),
    )
    average = draw(st.sampled_from([None, Decimal(0)])) if one_in(draw, 3) else None
    if average is None and not one_in(draw, 3):
        average = scaled(draw(st.integers(1, max(1, steps // 20))))
    near = max(1, steps // 8)
    shape = draw(st.sampled_from(SHAPES))
    event(shape)
    previous_step = draw(st.integers(0, steps - 1))
    if shape == "rolled over":
        previous_step = steps - 1 - draw(st.integers(0, near - 1))
    if shape == "at the rollover limit":
        # value + 10^N − previous lands on, or one unit either side of, share × 10^N.
        wrapped_steps = int(policy.rollover_share * steps) + draw(st.sampled_from([0, -1, 0, 1]))
        wrapped_steps = min(max(wrapped_steps, 1), steps - 1)
        previous_step = draw(st.integers(steps - wrapped_steps, steps - 1))
    previous = None if one_in(draw, 5) else scaled(previous_step)
    if shape == "anywhere":
        value = scaled(draw(st.integers(0, steps - 1)))
    elif shape == "forward":
        value = scaled(min(steps - 1, previous_step + draw(st.integers(0, near))))
    elif shape == "rolled over":
        value = scaled(draw(st.integers(0, near - 1)))
    elif shape == "at the rollover limit":
        value = scaled(previous_step + wrapped_steps - steps)
    elif shape == "wrapped":
        value = scaled((previous_step + draw(st.integers(0, steps - 1))) % steps)
    elif shape == "backward":
        value = scaled(max(0, previous_step - draw(st.integers(1, near))))
    elif shape == "at the plausibility limit":
        average = scaled(draw(st.integers(1, max(1, steps // 20))))
        limit = average * policy.plausibility_factor
        value = scaled(previous_step) + limit + draw(st.sampled_from([0, -unit, 0, unit]))
    elif shape == "over":
        value = scaled(steps + draw(st.integers(0, 10 * steps)))
        if one_in(draw, 3):  # too long on both sides of the point
            value += Decimal(draw(st.integers(1, 9))).scaleb(-places - draw(st.integers(1, 3)))
    elif shape == "fractional":
        extra = draw(st.integers(1, 3))
        last = draw(st.integers(1, 9))
        value = Decimal(draw(st.integers(0, steps - 1)) * 10**extra + last).scaleb(-places - extra)
    else:
        value = -scaled(draw(st.integers(1, steps)))
    if value >= 0 and fraction_digits_of(value) <= places + 3 and draw(st.booleans()):
        # Trailing zeros as typed ("123,400") change nothing.
        value = value.quantize(Decimal(1).scaleb(-places - draw(st.integers(0, 3))))
    zone = draw(st.sampled_from(meter.zones))
    if one_in(draw, 8):
        zone = draw(st.sampled_from(TariffZone))
    return meter, zone, value, {"previous": previous, "recent_average": average, "policy": policy}


# --- the law --------------------------------------------------------------------------


@settings(max_examples=500)
@given(submissions())
def test_meter_accepts_exactly_the_values_the_rules_allow(submission):
    meter, zone, value, context = submission
    expected = rule_book(meter, zone, value, on=TODAY, **context)
    if isinstance(expected, Refused):
        event(f"refused: {expected.error.__name__}")
        with pytest.raises(ReadingRejected) as refused:
            check_reading(meter, zone, value, on=TODAY, **context)
        assert type(refused.value) is expected.error
        for name, data in expected.data.items():
            assert getattr(refused.value, name) == data
        assert CYRILLIC.search(refused.value.message_ru)
    else:
        previous = context["previous"]
        event("accepted rollover" if previous is not None and value < previous else "accepted")
        assert check_reading(meter, zone, value, on=TODAY, **context) == expected


# --- each rule, by example ------------------------------------------------------------


def check(
    value,
    meter=None,
    *,
    previous=None,
    recent_average=None,
    policy=DEFAULT_POLICY,
    on=TODAY,
    zone=Z.SINGLE,
):
    return check_reading(
        meter or a_meter(),
        zone,
        Decimal(value),
        previous=None if previous is None else Decimal(previous),
        on=on,
        recent_average=None if recent_average is None else Decimal(recent_average),
        policy=policy,
    )


def test_first_reading_of_a_meter_means_no_consumption():
    assert check("12345") == 0


def test_reading_above_the_previous_one_means_the_difference():
    assert check("12400", previous="12345") == 55


def test_reading_equal_to_the_previous_one_is_accepted_with_no_consumption():
    assert check("12345", previous="12345") == 0


def test_reading_that_exceeds_digit_capacity_is_rejected():
    with pytest.raises(ReadingTooManyIntegerDigits) as refused:
        check("100000", previous="99990")
    assert refused.value.max_digits == 5
    assert refused.value.message_ru == "Показание должно содержать не более 5 знаков до запятой"


def test_reading_with_more_decimals_than_the_counter_shows_is_rejected():
    with pytest.raises(ReadingTooManyFractionDigits) as refused:
        check("123.4567", a_meter(DigitCapacity(6, 3)))
    assert refused.value.max_digits == 3
    assert refused.value.message_ru == "Показание должно содержать не более 3 знаков после запятой"


def test_fraction_on_a_whole_number_counter_is_rejected():
    with pytest.raises(ReadingTooManyFractionDigits) as refused:
        check("123.5")
    assert (
        refused.value.message_ru == "Показание должно быть целым числом, без знаков после запятой"
    )


def test_trailing_zeros_after_the_point_are_not_extra_digits():
    assert check("12400.000", previous="12345") == 55


def test_value_too_long_on_both_sides_of_the_point_is_first_told_about_its_fraction():
    with pytest.raises(ReadingTooManyFractionDigits):
        check("123456.5")


def test_negative_reading_is_rejected():
    with pytest.raises(ReadingNegative) as refused:
        check("-1")
    assert refused.value.message_ru == "Показание не может быть отрицательным"


def test_reading_lower_than_the_previous_one_is_rejected_naming_the_previous_value():
    with pytest.raises(ReadingLessThanPrevious) as refused:
        check("12345.67", a_meter(DigitCapacity(6, 2)), previous="12400.5")
    assert refused.value.previous == Decimal("12400.5")
    assert refused.value.message_ru == "Показание не может быть меньше предыдущего (12400,5)"


def test_counter_that_rolled_over_is_accepted_with_consumption_through_zero():
    assert check("3", previous="99998") == 5


def test_rollover_is_accepted_up_to_its_share_of_the_counter_range_and_not_beyond():
    assert check("5000", previous="95000") == 10000  # exactly 10 % of 100000
    with pytest.raises(ReadingLessThanPrevious):
        check("5001", previous="95000")


def test_implausibly_large_consumption_is_rejected_with_the_limit():
    with pytest.raises(ReadingImplausible) as refused:
        check("12601", previous="12345", recent_average="25.5")
    assert refused.value.consumption == 256
    assert refused.value.limit == Decimal("255.0")
    assert refused.value.message_ru == (
        "Расход слишком велик по сравнению со средним (допустимо не более 255,0). "
        "Проверьте показание или обратитесь в управляющую компанию"
    )


def test_consumption_up_to_the_plausibility_limit_is_accepted():
    assert check("12600", previous="12345", recent_average="25.5") == 255


def test_rollover_is_also_checked_for_plausibility():
    with pytest.raises(ReadingImplausible):
        check("100", previous="99950", recent_average="10")


@pytest.mark.parametrize("average", [None, "0"])
def test_without_a_recent_average_any_forward_consumption_is_plausible(average):
    assert check("99999", previous="0", recent_average=average) == 99999


def test_reading_on_an_archived_meter_is_rejected_before_anything_else():
    with pytest.raises(MeterArchived) as refused:
        check("-1", a_meter(archived=True))
    assert refused.value.message_ru == (
        "Прибор учёта выведен из эксплуатации: показания по нему не принимаются"
    )


def test_reading_after_the_verification_date_is_rejected():
    due = TODAY - dt.timedelta(days=1)
    with pytest.raises(MeterVerificationExpired) as refused:
        check("12345", a_meter(next_verification_on=due))
    assert refused.value.due == due
    assert refused.value.message_ru == (
        "Срок поверки прибора учёта истёк 19.10.2026: показания не принимаются. "
        "Обратитесь в управляющую компанию"
    )


def test_reading_on_the_verification_date_itself_is_accepted():
    assert check("12345", a_meter(next_verification_on=TODAY)) == 0


def test_reading_for_a_zone_the_meter_lacks_is_rejected():
    with pytest.raises(UnknownTariffZone) as refused:
        check("12345", a_meter(zones=(Z.DAY, Z.NIGHT)), zone=Z.PEAK)
    assert refused.value.zone == "peak"
    assert refused.value.message_ru == "У этого прибора учёта нет такой тарифной зоны"


def test_each_zone_of_a_multi_zone_meter_takes_readings():
    meter = a_meter(zones=(Z.DAY, Z.NIGHT, Z.PEAK))
    for zone in meter.zones:
        assert check("200", meter, previous="100", zone=zone) == 100


# --- messages -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("digits", "message"),
    [
        (1, "Показание должно содержать не более 1 знака до запятой"),
        (2, "Показание должно содержать не более 2 знаков до запятой"),
        (5, "Показание должно содержать не более 5 знаков до запятой"),
        (11, "Показание должно содержать не более 11 знаков до запятой"),
        (21, "Показание должно содержать не более 21 знака до запятой"),
    ],
)
def test_digit_limit_is_told_in_russian_with_the_right_plural(digits, message):
    assert ReadingTooManyIntegerDigits(digits).message_ru == message
    assert ReadingTooManyFractionDigits(digits).message_ru == message.replace(
        "до запятой", "после запятой"
    )


def test_every_reading_rejection_has_its_own_code():
    rejections = [
        cls
        for cls in vars(errors).values()
        if isinstance(cls, type) and issubclass(cls, ReadingRejected) and cls is not ReadingRejected
    ]
    codes = [cls.code for cls in rejections]
    assert len(rejections) >= 9
    assert len(set(codes)) == len(codes)
