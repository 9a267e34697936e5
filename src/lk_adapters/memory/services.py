"""Services kept in memory."""

from __future__ import annotations

from collections.abc import Sequence

from lk_adapters.memory.store import InMemoryStore
from lk_core.ledger.services import Service


class InMemoryServices:
    """Services by code."""

    def __init__(self, store: InMemoryStore) -> None:
        self._store = store

    def upsert_many(self, services: Sequence[Service]) -> None:
        self._store.services.update((service.code, service) for service in services)

    def list(self) -> list[Service]:
        return sorted(self._store.services.values(), key=lambda service: service.code)
