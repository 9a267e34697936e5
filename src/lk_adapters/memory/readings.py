"""Meter readings kept in memory."""

from __future__ import annotations

import copy
from collections.abc import Sequence

from lk_adapters.memory.store import InMemoryStore
from lk_core.periods import Period
from lk_core.readings import Reading


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
        found = [r for r in self._store.readings.values() if r.meter_id == meter_id]
        found.sort(key=lambda reading: (reading.period, reading.taken_at, reading.id))
        return [copy.copy(reading) for reading in found]

    def delete(self, reading_id: str) -> None:
        self._store.readings.pop(reading_id, None)

    def of_meters_in(self, meter_ids: Sequence[str], periods: Sequence[Period]) -> list[Reading]:
        ids, wanted = set(meter_ids), set(periods)
        found = [
            r for r in self._store.readings.values() if r.meter_id in ids and r.period in wanted
        ]
        found.sort(key=lambda reading: (reading.period, reading.taken_at, reading.id))
        return [copy.copy(reading) for reading in found]
