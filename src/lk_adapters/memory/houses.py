"""Houses kept in memory."""

from __future__ import annotations

from collections.abc import Sequence

from lk_adapters.memory.store import InMemoryStore
from lk_core.accounts.account import House


class InMemoryHouses:
    """Houses by code."""

    def __init__(self, store: InMemoryStore) -> None:
        self._store = store

    def get(self, code: str) -> House | None:
        return self._store.houses.get(code)

    def upsert_many(self, houses: Sequence[House]) -> None:
        self._store.houses.update((house.code, house) for house in houses)

    def codes(self) -> set[str]:
        return set(self._store.houses)

    def all(self) -> list[House]:
        return [self._store.houses[code] for code in sorted(self._store.houses)]
