"""Billing periods kept in memory."""

from __future__ import annotations

import copy

from lk_adapters.memory.store import InMemoryStore
from lk_core.kernel.periods import BillingPeriod, Period


class InMemoryPeriods:
    """Billing periods by their YYYYMM code."""

    def __init__(self, store: InMemoryStore) -> None:
        self._store = store

    def get(self, period: Period) -> BillingPeriod | None:
        stored = self._store.periods.get(period.code)
        return copy.copy(stored) if stored is not None else None

    def save(self, billing_period: BillingPeriod) -> None:
        self._store.periods[billing_period.period.code] = copy.copy(billing_period)

    def list(self) -> list[BillingPeriod]:
        return [copy.copy(self._store.periods[code]) for code in sorted(self._store.periods)]
