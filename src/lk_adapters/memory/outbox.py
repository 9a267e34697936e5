"""The outbox kept in memory."""

from __future__ import annotations

import copy
import datetime as dt

import attrs

from lk_adapters.memory.store import InMemoryStore
from lk_core.messaging.outbox import OutboxMessage, OutboxStatus

LAST_ERROR_LENGTH = 500


class InMemoryOutbox:
    """Messages by id; a claimed message's lease is kept beside it, by the same id."""

    def __init__(self, store: InMemoryStore) -> None:
        self._store = store

    def add(self, message: OutboxMessage) -> bool:
        if message.id in self._store.outbox:
            raise KeyError(f"a message with this id is already queued: {message.id}")
        if message.dedupe_key is not None and any(
            queued.dedupe_key == message.dedupe_key for queued in self._store.outbox.values()
        ):
            return False
        self._store.outbox[message.id] = attrs.evolve(
            message, last_error=message.last_error[:LAST_ERROR_LENGTH]
        )
        return True

    def claim_due(self, now: dt.datetime, limit: int, lease: dt.timedelta) -> list[OutboxMessage]:
        oldest_first = sorted(self._store.outbox.values(), key=lambda m: (m.created_at, m.id))
        due = [message for message in oldest_first if self._is_due(message, now)][:limit]
        claimed = [attrs.evolve(message, status=OutboxStatus.SENDING) for message in due]
        for message in claimed:
            self._keep(message)
            self._store.outbox_leases[message.id] = now + lease
        return [copy.copy(message) for message in claimed]

    def mark_sent(self, message_id: str, at: dt.datetime) -> None:
        message = self._store.outbox.get(message_id)
        if message is not None:
            self._keep(
                attrs.evolve(
                    message, status=OutboxStatus.SENT, sent_at=at, attempts=message.attempts + 1
                )
            )

    def mark_failed(self, message_id: str, error: str, retry_at: dt.datetime | None) -> None:
        message = self._store.outbox.get(message_id)
        if message is None:
            return
        failed = attrs.evolve(
            message, attempts=message.attempts + 1, last_error=error[:LAST_ERROR_LENGTH]
        )
        if retry_at is None:
            failed.status = OutboxStatus.FAILED
        else:
            failed.status = OutboxStatus.PENDING
            failed.next_attempt_at = retry_at
        self._keep(failed)

    def get(self, message_id: str) -> OutboxMessage | None:
        stored = self._store.outbox.get(message_id)
        return copy.copy(stored) if stored is not None else None

    def recent(self, limit: int) -> list[OutboxMessage]:
        newest_first = sorted(
            self._store.outbox.values(), key=lambda m: (m.created_at, m.id), reverse=True
        )
        return [copy.copy(message) for message in newest_first[:limit]]

    def _is_due(self, message: OutboxMessage, now: dt.datetime) -> bool:
        if message.status is OutboxStatus.PENDING:
            assert message.next_attempt_at is not None
            return message.next_attempt_at <= now
        lease_until = self._store.outbox_leases.get(message.id)
        return (
            message.status is OutboxStatus.SENDING and lease_until is not None and lease_until < now
        )

    def _keep(self, message: OutboxMessage) -> None:
        """Store a changed message; one leaving `sending` gives up its lease."""
        self._store.outbox[message.id] = message
        if message.status is not OutboxStatus.SENDING:
            self._store.outbox_leases.pop(message.id, None)
