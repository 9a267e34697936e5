"""Service requests, their history, comments and photo records kept in memory."""

from __future__ import annotations

import datetime as dt

import attrs

from lk_adapters.memory.store import InMemoryStore
from lk_core.requests.journal import Comment, HistoryEntry
from lk_core.requests.photos import RequestPhoto
from lk_core.requests.queue import QueueFilter, queue_order
from lk_core.requests.request import ServiceRequest

_NUMBERS = "service_request_numbers"


class InMemoryServiceRequests:
    """Requests by id and by number; copied in and out, since a request changes through its
    methods. Numbers come from a counter of the store, like a database's sequence."""

    def __init__(self, store: InMemoryStore) -> None:
        self._store = store

    def next_number(self) -> int:
        given = self._store.counters.get(_NUMBERS, 0) + 1
        self._store.counters[_NUMBERS] = given
        return given

    def add(self, request: ServiceRequest) -> None:
        if request.id in self._store.service_requests:
            raise ValueError(f"request {request.id} exists")
        if request.number in self._store.request_numbers:
            raise ValueError(f"request number {request.number} is taken")
        self._store.service_requests[request.id] = attrs.evolve(request)
        self._store.request_numbers[request.number] = request.id

    def get(self, request_id: str) -> ServiceRequest | None:
        stored = self._store.service_requests.get(request_id)
        return attrs.evolve(stored) if stored is not None else None

    def by_number(self, number: int) -> ServiceRequest | None:
        request_id = self._store.request_numbers.get(number)
        return self.get(request_id) if request_id is not None else None

    def save(self, request: ServiceRequest, read_version: int) -> bool:
        stored = self._store.service_requests.get(request.id)
        if stored is None or stored.version != read_version:
            return False
        self._store.service_requests[request.id] = attrs.evolve(request)
        return True

    def of_account(self, account_key: str) -> list[ServiceRequest]:
        found = [r for r in self._store.service_requests.values() if r.account_key == account_key]
        found.sort(key=lambda r: (r.created_at, r.id), reverse=True)
        return [attrs.evolve(r) for r in found]

    def count_created_since(self, account_key: str, since: dt.datetime) -> int:
        return sum(
            1
            for r in self._store.service_requests.values()
            if r.account_key == account_key and r.created_at >= since
        )

    def queue(self, where: QueueFilter, offset: int, limit: int) -> list[ServiceRequest]:
        found = sorted(
            (r for r in self._store.service_requests.values() if where.matches(r)), key=queue_order
        )
        return [attrs.evolve(r) for r in found[offset : offset + limit]]


class InMemoryRequestJournal:
    """History entries by request and number; comments by id, in the order written."""

    def __init__(self, store: InMemoryStore) -> None:
        self._store = store

    def record(self, entry: HistoryEntry) -> None:
        key = (entry.request_id, entry.seq)
        if key in self._store.request_history:
            raise ValueError(f"history entry {key} exists")
        self._store.request_history[key] = entry

    def history(self, request_id: str) -> list[HistoryEntry]:
        found = [e for (rid, _), e in self._store.request_history.items() if rid == request_id]
        return sorted(found, key=lambda e: e.seq)

    def add_comment(self, comment: Comment) -> None:
        self._store.request_comments[comment.id] = comment

    def comments(self, request_id: str) -> list[Comment]:
        found = [c for c in self._store.request_comments.values() if c.request_id == request_id]
        return sorted(found, key=lambda c: (c.at, c.id))


class InMemoryRequestPhotos:
    """Photo records by id."""

    def __init__(self, store: InMemoryStore) -> None:
        self._store = store

    def add(self, photo: RequestPhoto) -> None:
        self._store.request_photos[photo.id] = photo

    def of_request(self, request_id: str) -> list[RequestPhoto]:
        found = [p for p in self._store.request_photos.values() if p.request_id == request_id]
        return sorted(found, key=lambda p: p.position)
