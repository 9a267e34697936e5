"""Sessions kept in memory."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable

from lk_adapters.memory.store import InMemoryStore
from lk_core.access.sessions import Session


class InMemorySessions:
    """Sessions by id hash."""

    def __init__(self, store: InMemoryStore) -> None:
        self._store = store

    def add(self, session: Session) -> None:
        if session.id_hash in self._store.sessions:
            raise KeyError("a session with this id hash is already stored")
        self._store.sessions[session.id_hash] = copy.copy(session)

    def get(self, id_hash: str) -> Session | None:
        stored = self._store.sessions.get(id_hash)
        return copy.copy(stored) if stored is not None else None

    def save(self, session: Session) -> None:
        if session.id_hash in self._store.sessions:
            self._store.sessions[session.id_hash] = copy.copy(session)

    def delete(self, id_hash: str) -> None:
        self._store.sessions.pop(id_hash, None)

    def delete_of_registration(self, registration_key: str, keep_id_hash: str | None) -> int:
        return self._delete_where(
            lambda session: (
                session.registration_key == registration_key and session.id_hash != keep_id_hash
            )
        )

    def delete_of_device(self, device_id: str) -> int:
        return self._delete_where(lambda session: session.device_id == device_id)

    def delete_idle(self, last_seen_before: dt.datetime) -> int:
        return self._delete_where(lambda session: session.last_seen_at < last_seen_before)

    def _delete_where(self, ended: Callable[[Session], bool]) -> int:
        doomed = [id_hash for id_hash, session in self._store.sessions.items() if ended(session)]
        for id_hash in doomed:
            del self._store.sessions[id_hash]
        return len(doomed)
