"""The audit log kept in memory."""

from __future__ import annotations

from lk_adapters.memory.store import InMemoryStore
from lk_core.access.audit import AuditEvent


class InMemoryAuditLog:
    """Events in the order they were recorded; never changed or removed."""

    def __init__(self, store: InMemoryStore) -> None:
        self._store = store

    def record(self, event: AuditEvent) -> None:
        self._store.audit[len(self._store.audit)] = event

    def of_account(self, account_key: str, limit: int) -> list[AuditEvent]:
        latest_recorded_first = [
            event
            for event in reversed(self._store.audit.values())
            if event.account_key == account_key
        ]
        newest_first = sorted(latest_recorded_first, key=lambda event: event.at, reverse=True)
        return newest_first[:limit]
