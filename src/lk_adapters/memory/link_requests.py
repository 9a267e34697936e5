"""Link requests kept in memory."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs

from lk_adapters.memory.store import InMemoryStore
from lk_core.access.link_requests import LinkRequest, LinkRequestState


class InMemoryLinkRequests:
    """Requests by id; listed by the registration that asked or the account asked for."""

    def __init__(self, store: InMemoryStore) -> None:
        self._store = store

    def add(self, request: LinkRequest) -> None:
        self._store.link_requests[request.id] = request

    def get(self, request_id: str) -> LinkRequest | None:
        return self._store.link_requests.get(request_id)

    def of_registration(self, registration_key: str) -> list[LinkRequest]:
        return _newest_first(
            r for r in self._store.link_requests.values() if r.registration_key == registration_key
        )

    def for_account(self, account_key: str) -> list[LinkRequest]:
        return _newest_first(
            r for r in self._store.link_requests.values() if r.account_key == account_key
        )

    def decide(self, request_id: str, state: LinkRequestState, at: dt.datetime) -> bool:
        stored = self._store.link_requests.get(request_id)
        if stored is None or not stored.is_pending(at):
            return False
        self._store.link_requests[request_id] = attrs.evolve(stored, state=state, decided_at=at)
        return True


def _newest_first(found: Iterable[LinkRequest]) -> list[LinkRequest]:
    return sorted(found, key=lambda r: (r.requested_at, r.id), reverse=True)
