"""Consent records kept in memory."""

from __future__ import annotations

from lk_adapters.memory.store import InMemoryStore
from lk_core.access.registration import Consent


class InMemoryConsents:
    """Consent records in the order they were made; never changed or removed."""

    def __init__(self, store: InMemoryStore) -> None:
        self._store = store

    def add(self, consent: Consent) -> None:
        self._store.consents[len(self._store.consents)] = consent

    def of_account(self, account_key: str) -> list[Consent]:
        found = [c for c in self._store.consents.values() if c.account_key == account_key]
        return sorted(found, key=lambda consent: consent.at)
