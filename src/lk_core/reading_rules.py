"""The reading rules (F13): which values a meter accepts, and why others are refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from lk_core.kernel.policies import ReadingPolicy
from lk_core.readings.errors import (
    MeterArchived,
    MeterVerificationExpired,
    ReadingImplausible,
    ReadingLessThanPrevious,
    ReadingNegative,
    ReadingTooManyFractionDigits,
    ReadingTooManyIntegerDigits,
    UnknownTariffZone,
)
from lk_core.readings.meters import Meter, TariffZone


def check_reading(
    meter: Meter,
    zone: TariffZone,
    value: Decimal,
    *,
    previous: Decimal | None,
    on: dt.date,
    recent_average: Decimal | None,
    policy: ReadingPolicy,
) -> Decimal:
    """Return the consumption a new value means, or raise the first rule it breaks.

    The order is the order a resident can act on: first whether the meter takes
    readings at all, then the form of the number, then how it compares with the past.
    """
    if meter.archived:
        raise MeterArchived()
    if meter.verification_expired(on):
        assert meter.next_verification_on is not None
        raise MeterVerificationExpired(meter.next_verification_on)
    if zone not in meter.zones:
        raise UnknownTariffZone(zone.value)
    if value < 0:
        raise ReadingNegative()
    capacity = meter.capacity
    if not capacity.fraction_fits(value):
        raise ReadingTooManyFractionDigits(capacity.fraction_digits)
    if not capacity.integer_fits(value):
        raise ReadingTooManyIntegerDigits(capacity.integer_digits)
    if previous is None:
        return Decimal(0)
    if value >= previous:
        consumption = value - previous
    else:
        consumption = value + capacity.rollover - previous
        if consumption > capacity.rollover * policy.rollover_share:
            raise ReadingLessThanPrevious(previous)
    if recent_average is not None and recent_average > 0:
        limit = recent_average * policy.plausibility_factor
        if consumption > limit:
            raise ReadingImplausible(consumption, limit)
    return consumption
