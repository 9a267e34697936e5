"""Registrations kept in memory."""

from __future__ import annotations

import copy

from lk_adapters.memory.store import InMemoryStore
from lk_core.access.registration import Registration


class InMemoryRegistrations:
    """Registrations by account."""

    def __init__(self, store: InMemoryStore) -> None:
        self._store = store

    def get(self, account_key: str) -> Registration | None:
        stored = self._store.registrations.get(account_key)
        return copy.copy(stored) if stored is not None else None

    def save(self, registration: Registration) -> None:
        self._store.registrations[registration.account_key] = copy.copy(registration)

    def delete(self, account_key: str) -> None:
        self._store.registrations.pop(account_key, None)
        # Its links go with it, as the database's ON DELETE CASCADE does.
        for pair in [pair for pair in self._store.linked_accounts if pair[0] == account_key]:
            del self._store.linked_accounts[pair]
        for request_id in [
            i for i, r in self._store.link_requests.items() if r.registration_key == account_key
        ]:
            del self._store.link_requests[request_id]

    def count_with_email(self, email_key: str) -> int:
        wanted = email_key.lower()
        return sum(1 for r in self._store.registrations.values() if r.email.key == wanted)
