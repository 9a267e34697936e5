"""A meter zone's readings read as a line: the previous value, this period's, the average.

The rules of what counts: a reading that was replaced, deleted or rejected is history,
not a value of the meter; a meter's value for a period is its latest standing reading.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from itertools import pairwise

import attrs

from lk_core.kernel.periods import Period
from lk_core.readings.meters import Meter, TariffZone
from lk_core.readings.reading import EntryStatus, Reading, ReadingSource, consumption_between

# Months of consumption the plausibility check averages over.
AVERAGE_OVER = 3


def standing_by_period(readings: Sequence[Reading]) -> dict[Period, Reading]:
    """The latest standing reading of each period (readings given oldest first)."""
    standing: dict[Period, Reading] = {}
    for reading in readings:
        if reading.status.counts:
            standing[reading.period] = reading
    return standing


@attrs.frozen
class MeterLine:
    """One tariff zone of one meter as the submission form shows it for a period."""

    meter: Meter
    zone: TariffZone
    period: Period
    previous: Reading | None
    current: Reading | None
    recent_average: Decimal | None

    @classmethod
    def of(
        cls, meter: Meter, zone: TariffZone, period: Period, readings: Sequence[Reading]
    ) -> MeterLine:
        """The line from the zone's readings, oldest first (other zones' are ignored)."""
        own = [r for r in readings if r.meter_id == meter.id and r.zone is zone]
        standing = standing_by_period(own)
        earlier = [standing[p] for p in sorted(standing) if p < period]
        shown = [r for r in own if r.period == period and r.status is not EntryStatus.REPLACED]
        current = next((r for r in reversed(shown) if r.status is not EntryStatus.DELETED), None)
        used = [
            consumption_between(a.value, b.value, meter.capacity) for a, b in pairwise(earlier)
        ][-AVERAGE_OVER:]
        average = sum(used, Decimal(0)) / len(used) if used else None
        return cls(meter, zone, period, earlier[-1] if earlier else None, current, average)

    @property
    def key(self) -> str:
        """The line's name in the form: meter id and zone."""
        return f"{self.meter.id}|{self.zone.value}"

    @property
    def is_calculated(self) -> bool:
        return self.current is not None and self.current.status is EntryStatus.CALCULATED

    @property
    def pending(self) -> Reading | None:
        """The resident's value still waiting for billing: it may be deleted or replaced."""
        current = self.current
        if current is not None and current.is_pending and current.source is ReadingSource.PORTAL:
            return current
        return None
