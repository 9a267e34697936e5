"""Messages to residents: the outbox and the e-mail and SMS gateways."""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from lk_core.messaging.messages import EmailMessage, SmsMessage
from lk_core.messaging.outbox import OutboxMessage


class OutboxRepository(Protocol):
    def add(self, message: OutboxMessage) -> bool:
        """Queue a message; False if a message with the same dedupe key exists, whatever its
        status: a logical message (a receipt for an account and period) is queued once."""
        ...

    def claim_due(self, now: dt.datetime, limit: int, lease: dt.timedelta) -> list[OutboxMessage]:
        """Take up to `limit` messages due for delivery (pending, or sending with an expired
        lease) and mark them sending until `now + lease`, oldest first; concurrent
        workers never claim the same message."""
        ...

    def mark_sent(self, message_id: str, at: dt.datetime) -> None:
        """Record a delivery."""
        ...

    def mark_failed(self, message_id: str, error: str, retry_at: dt.datetime | None) -> None:
        """Record a failed attempt; retry at `retry_at`, or give up when it is None."""
        ...

    def get(self, message_id: str) -> OutboxMessage | None:
        """The message with that id."""
        ...

    def recent(self, limit: int) -> list[OutboxMessage]:
        """The most recently queued messages, newest first."""
        ...


class Mailer(Protocol):
    def send(self, message: EmailMessage) -> None:
        """Deliver one e-mail or raise; the outbox worker retries on failure."""
        ...


class SmsSender(Protocol):
    def send(self, message: SmsMessage) -> None:
        """Deliver one SMS or raise; the outbox worker retries on failure."""
        ...
