"""Idempotent requests kept in memory."""

from __future__ import annotations

import datetime as dt

import attrs

from lk_adapters.memory.store import InMemoryStore
from lk_core.service_api.idempotency import IdempotentRequest, StoredAnswer


class InMemoryIdempotentRequests:
    """Requests by caller and idempotency key (frozen values: stored as they are)."""

    def __init__(self, store: InMemoryStore) -> None:
        self._store = store

    def claim(self, request: IdempotentRequest) -> bool:
        slot = (request.caller, request.key)
        if slot in self._store.idempotent_requests:
            return False
        self._store.idempotent_requests[slot] = request
        return True

    def get(self, caller: str, key: str) -> IdempotentRequest | None:
        return self._store.idempotent_requests.get((caller, key))

    def take_over(
        self, caller: str, key: str, request_hash: str, claimed_before: dt.datetime, at: dt.datetime
    ) -> bool:
        stored = self._store.idempotent_requests.get((caller, key))
        if (
            stored is None
            or stored.request_hash != request_hash
            or stored.answer is not None
            or stored.claimed_at >= claimed_before
        ):
            return False
        self._store.idempotent_requests[(caller, key)] = attrs.evolve(stored, claimed_at=at)
        return True

    def answer(self, caller: str, key: str, answer: StoredAnswer) -> None:
        stored = self._store.idempotent_requests.get((caller, key))
        if stored is not None:
            self._store.idempotent_requests[(caller, key)] = attrs.evolve(stored, answer=answer)

    def release(self, caller: str, key: str) -> None:
        stored = self._store.idempotent_requests.get((caller, key))
        if stored is not None and stored.answer is None:
            del self._store.idempotent_requests[(caller, key)]

    def delete_expired(self, before: dt.datetime) -> int:
        doomed = [
            slot
            for slot, request in self._store.idempotent_requests.items()
            if request.expires_at <= before
        ]
        for slot in doomed:
            del self._store.idempotent_requests[slot]
        return len(doomed)
