"""API keys kept in memory."""

from __future__ import annotations

import copy
import datetime as dt

from lk_adapters.memory.store import InMemoryStore
from lk_core.service_api.api_keys import ApiKey


class InMemoryApiKeys:
    """API keys by id."""

    def __init__(self, store: InMemoryStore) -> None:
        self._store = store

    def add(self, key: ApiKey) -> None:
        if key.id in self._store.api_keys:
            raise KeyError("an API key with this id is already stored")
        self._store.api_keys[key.id] = copy.copy(key)

    def get(self, key_id: str) -> ApiKey | None:
        stored = self._store.api_keys.get(key_id)
        return copy.copy(stored) if stored is not None else None

    def list(self) -> list[ApiKey]:
        keys = sorted(self._store.api_keys.values(), key=lambda key: (key.created_at, key.id))
        return [copy.copy(key) for key in keys]

    def revoke(self, key_id: str, at: dt.datetime) -> bool:
        stored = self._store.api_keys.get(key_id)
        if stored is None or stored.revoked_at is not None:
            return False
        revoked = copy.copy(stored)
        revoked.revoked_at = at
        self._store.api_keys[key_id] = revoked
        return True

    def mark_used(self, key_id: str, at: dt.datetime) -> None:
        stored = self._store.api_keys.get(key_id)
        if stored is None or (stored.last_used_at is not None and stored.last_used_at >= at):
            return
        used = copy.copy(stored)
        used.last_used_at = at
        self._store.api_keys[key_id] = used
