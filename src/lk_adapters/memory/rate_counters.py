"""Rate counters kept in memory."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from lk_adapters.memory.store import InMemoryStore


class InMemoryRateCounters:
    """Event counts by bucket and window start."""

    def __init__(self, store: InMemoryStore) -> None:
        self._store = store

    def hit(self, bucket: str, window_start: dt.datetime) -> int:
        counters = self._store.rate_counters
        counters[bucket, window_start] = counters.get((bucket, window_start), 0) + 1
        return counters[bucket, window_start]

    def reserve(self, bucket: str, window_start: dt.datetime, limit: int) -> bool:
        counters = self._store.rate_counters
        counted = counters.get((bucket, window_start), 0)
        if counted >= limit:
            return False
        counters[bucket, window_start] = counted + 1
        return True

    def release(self, bucket: str, window_start: dt.datetime) -> None:
        counters = self._store.rate_counters
        counted = counters.get((bucket, window_start), 0)
        if counted > 1:
            counters[bucket, window_start] = counted - 1
        elif counted == 1:
            del counters[bucket, window_start]  # back at nothing, like a window never hit

    def counts(self, windows: Sequence[tuple[str, dt.datetime]]) -> list[int]:
        return [self._store.rate_counters.get(window, 0) for window in windows]

    def delete_before(self, window_start: dt.datetime) -> int:
        counters = self._store.rate_counters
        old = [key for key in counters if key[1] < window_start]
        for key in old:
            del counters[key]
        return len(old)
