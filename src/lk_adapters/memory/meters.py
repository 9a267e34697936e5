"""Meters kept in memory."""

from __future__ import annotations

from collections.abc import Sequence

from lk_adapters.memory.store import InMemoryStore
from lk_core.kernel.periods import Period
from lk_core.readings.meters import Meter


def by_service_and_serial(meter: Meter) -> tuple[str, str]:
    return meter.service_code, meter.serial


class InMemoryMeters:
    """Meters by id."""

    def __init__(self, store: InMemoryStore) -> None:
        self._store = store

    def get(self, meter_id: str) -> Meter | None:
        return self._store.meters.get(meter_id)

    def upsert_many(self, meters: Sequence[Meter]) -> None:
        self._store.meters.update((meter.id, meter) for meter in meters)

    def of_account(self, account_key: str) -> list[Meter]:
        found = [m for m in self._store.meters.values() if m.account_key == account_key]
        return sorted(found, key=by_service_and_serial)

    def count_read(self, account_key: str, period: Period) -> tuple[int, int]:
        in_use = {
            m.id
            for m in self._store.meters.values()
            if m.account_key == account_key and not m.archived
        }
        read = {
            r.meter_id
            for r in self._store.readings.values()
            if r.meter_id in in_use and r.period == period and r.status.counts
        }
        return len(in_use), len(read)

    def of_accounts(self, account_keys: Sequence[str]) -> list[Meter]:
        wanted = set(account_keys)
        found = [m for m in self._store.meters.values() if m.account_key in wanted]
        return sorted(found, key=by_service_and_serial)

    def of_house(self, house_code: str) -> list[Meter]:
        found = [m for m in self._store.meters.values() if m.house_code == house_code]
        return sorted(found, key=by_service_and_serial)

    def ids(self) -> set[str]:
        return set(self._store.meters)
