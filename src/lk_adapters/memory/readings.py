"""Meter readings kept in memory."""

from __future__ import annotations

import copy
from collections.abc import Iterator, Sequence

from lk_adapters.memory.store import InMemoryStore
from lk_core.kernel.periods import Period
from lk_core.readings.errors import ReadingConflict
from lk_core.readings.reading import EntryStatus, Reading


class InMemoryReadings:
    """Readings by id."""

    def __init__(self, store: InMemoryStore) -> None:
        self._store = store

    def get(self, reading_id: str) -> Reading | None:
        stored = self._store.readings.get(reading_id)
        return copy.copy(stored) if stored is not None else None

    def upsert_many(self, readings: Sequence[Reading]) -> None:
        self._store.readings.update((reading.id, copy.copy(reading)) for reading in readings)

    def of_meter(self, meter_id: str) -> list[Reading]:
        return self.of_meters([meter_id])

    def of_meters(self, meter_ids: Sequence[str], *, withdrawn: bool = True) -> list[Reading]:
        wanted = set(meter_ids)
        found = [
            r
            for r in self._store.readings.values()
            if r.meter_id in wanted and (withdrawn or not r.status.is_withdrawn)
        ]
        found.sort(key=lambda r: (r.meter_id, r.period, r.taken_at, r.id))
        return [copy.copy(reading) for reading in found]

    def add_pending(self, reading: Reading) -> None:
        slot = (reading.meter_id, reading.zone, reading.period)
        for other in self._store.readings.values():
            if other.is_pending and (other.meter_id, other.zone, other.period) == slot:
                raise ReadingConflict()
        self._store.readings[reading.id] = copy.copy(reading)

    def withdraw(self, reading_id: str, status: EntryStatus) -> bool:
        stored = self._store.readings.get(reading_id)
        if stored is None or not stored.is_pending:
            return False
        withdrawn = copy.copy(stored)
        withdrawn.status = status
        self._store.readings[reading_id] = withdrawn
        return True

    def pending_in(self, period: Period) -> Iterator[Reading]:
        found = [r for r in self._store.readings.values() if r.period == period and r.is_pending]
        found.sort(key=lambda r: (r.meter_id, r.zone.value, r.taken_at))
        for reading in found:
            yield copy.copy(reading)

    def pending_after(self, period: Period, after_id: str, limit: int) -> list[Reading]:
        found = sorted(
            (
                r
                for r in self._store.readings.values()
                if r.period == period and r.is_pending and r.id > after_id
            ),
            key=lambda reading: reading.id,
        )
        return [copy.copy(reading) for reading in found[:limit]]

    def of_meters_in(self, meter_ids: Sequence[str], periods: Sequence[Period]) -> list[Reading]:
        ids, wanted = set(meter_ids), set(periods)
        found = [
            r for r in self._store.readings.values() if r.meter_id in ids and r.period in wanted
        ]
        found.sort(key=lambda reading: (reading.period, reading.taken_at, reading.id))
        return [copy.copy(reading) for reading in found]
