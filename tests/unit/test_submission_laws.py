"""Laws of submitting readings, over random meters (capacity, zones, previous values) and
random typed text: a submission is accepted exactly when every value keeps the rules, and
the history's consumption counts through zero when a counter rolled over."""

from __future__ import annotations

import re
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from access_fixtures import IVANOV, a_portal
from lk_core.kernel.policies import ReadingPolicy
from lk_core.readings.history import meter_history
from lk_core.readings.meters import DigitCapacity, Meter, MeterKind, TariffZone
from lk_core.readings.submission import submit_readings
from readings_fixtures import FEBRUARY, a_reading, load_meters

ZONE_SETS = [(TariffZone.SINGLE,), (TariffZone.DAY, TariffZone.NIGHT),
             (TariffZone.PEAK, TariffZone.HALF_PEAK, TariffZone.NIGHT)]  # fmt: skip
SHARE = ReadingPolicy().rollover_share


@st.composite
def meters(draw: st.DrawFn) -> tuple[Meter, dict[TariffZone, Decimal | None]]:
    capacity = DigitCapacity(draw(st.integers(1, 6)), draw(st.integers(0, 3)))
    zones = draw(st.sampled_from(ZONE_SETS))
    meter = Meter("M", MeterKind.INDIVIDUAL, "HVS", "1", capacity, zones, account_key=IVANOV)
    step = Decimal(1).scaleb(-capacity.fraction_digits)
    top = int(capacity.rollover / step) - 1
    previous = {
        zone: draw(st.none() | st.integers(0, top).map(lambda units: units * step))
        for zone in zones
    }
    return meter, previous


def typed_values() -> st.SearchStrategy[str]:
    digits = st.text("0123456789", min_size=1, max_size=8)
    number = st.tuples(st.sampled_from(["", "-"]), digits, st.none() | digits).map(
        lambda p: p[0] + p[1] + ("," + p[2] if p[2] is not None else "")
    )
    return number | st.sampled_from(["", "abc", "1,2,3", "12.", " 5 "])


def allowed(text: str, capacity: DigitCapacity, previous: Decimal | None) -> Decimal | None:
    """The rules, written independently: the consumption a value means, or None if refused."""
    cleaned = text.strip().replace(",", ".")
    if not re.fullmatch(r"-?\d+(\.\d+)?", cleaned):
        return None
    value = Decimal(cleaned)
    whole, _, fraction = cleaned.lstrip("-").partition(".")
    if value < 0 or len(fraction.rstrip("0")) > capacity.fraction_digits:
        return None
    if len(whole.lstrip("0")) > capacity.integer_digits:
        return None
    if previous is None:
        return Decimal(0)
    if value >= previous:
        return value - previous
    wrapped = value + capacity.rollover - previous
    return wrapped if wrapped <= capacity.rollover * SHARE else None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(meters(), st.data())
def test_a_submission_is_accepted_exactly_when_every_value_keeps_the_rules(
    meter_and_previous: tuple[Meter, dict[TariffZone, Decimal | None]], data: st.DataObject
) -> None:
    meter, previous = meter_and_previous
    portal = a_portal()
    earlier = [
        a_reading(meter, FEBRUARY, str(value), zone=zone)
        for zone, value in previous.items()
        if value is not None
    ]
    load_meters(portal.uow_factory, [meter], earlier)
    typed = {f"M|{zone.value}": data.draw(typed_values()) for zone in meter.zones}
    expected = {
        key: allowed(text, meter.capacity, previous[TariffZone(key.split("|")[1])])
        for key, text in typed.items()
        if text.strip()
    }

    submission = submit_readings(portal.ctx, IVANOV, "HVS", typed)

    assert submission.accepted == all(c is not None for c in expected.values())
    assert set(submission.problems) == {k for k, c in expected.items() if c is None}
    if submission.accepted:
        rows = meter_history(portal.ctx, IVANOV, "M").rows
        new = {f"M|{r.reading.zone.value}": r.consumption for r in rows if r.reading.is_pending}
        assert set(new) == set(expected)
        for key, consumption in new.items():
            had_previous = previous[TariffZone(key.split("|")[1])] is not None
            assert consumption == (expected[key] if had_previous else None)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(1, 6), st.integers(0, 3), st.data())
def test_a_counter_that_passed_its_limit_shows_the_consumption_through_zero(
    integer_digits: int, fraction_digits: int, data: st.DataObject
) -> None:
    capacity = DigitCapacity(integer_digits, fraction_digits)
    step = Decimal(1).scaleb(-fraction_digits)
    units = int(capacity.rollover / step)
    previous = data.draw(st.integers(0, units - 1)) * step
    used = data.draw(st.integers(0, int(capacity.rollover * SHARE / step))) * step
    value = (previous + used) % capacity.rollover
    meter = Meter("M", MeterKind.INDIVIDUAL, "HVS", "1", capacity, account_key=IVANOV)
    portal = a_portal()
    load_meters(portal.uow_factory, [meter], [a_reading(meter, FEBRUARY, str(previous))])

    submission = submit_readings(portal.ctx, IVANOV, "HVS", {"M|single": str(value)})

    assert submission.accepted, submission.problems
    [new] = [r for r in meter_history(portal.ctx, IVANOV, "M").rows if r.reading.is_pending]
    assert new.consumption == used
