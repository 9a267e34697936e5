"""The outbox: messages written in the same transaction as the change that causes them,
delivered afterwards by a worker, retried with backoff, sent once."""

from __future__ import annotations

import datetime as dt
import enum
import uuid

import attrs

from lk_core.messaging.messages import EmailMessage, SmsMessage

MAX_ATTEMPTS = 10


class OutboxStatus(enum.Enum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"

    @property
    def label_ru(self) -> str:
        """How an operator reads the state."""
        return {
            "pending": "ждёт",
            "sending": "отправляется",
            "sent": "отправлено",
            "failed": "не отправлено",
        }[self.value]


@attrs.define
class OutboxMessage:
    """One e-mail or SMS waiting for (or done with) delivery.

    `dedupe_key`, when given, is unique: queueing the same logical message twice (a
    receipt for an account and period, say) keeps the first.
    """

    id: str
    created_at: dt.datetime
    email: EmailMessage | None = None
    sms: SmsMessage | None = None
    status: OutboxStatus = OutboxStatus.PENDING
    attempts: int = 0
    next_attempt_at: dt.datetime | None = None
    last_error: str = ""
    sent_at: dt.datetime | None = None
    dedupe_key: str | None = None

    def __attrs_post_init__(self) -> None:
        if (self.email is None) == (self.sms is None):
            raise ValueError("an outbox message is either an e-mail or an SMS")
        if self.next_attempt_at is None:
            self.next_attempt_at = self.created_at

    @property
    def channel(self) -> str:
        return "email" if self.email is not None else "sms"

    @property
    def recipient(self) -> str:
        if self.email is not None:
            return self.email.to
        assert self.sms is not None
        return self.sms.to


def queue_email(
    message: EmailMessage, now: dt.datetime, dedupe_key: str | None = None
) -> OutboxMessage:
    return OutboxMessage(uuid.uuid4().hex, now, email=message, dedupe_key=dedupe_key)


def queue_sms(
    message: SmsMessage, now: dt.datetime, dedupe_key: str | None = None
) -> OutboxMessage:
    return OutboxMessage(uuid.uuid4().hex, now, sms=message, dedupe_key=dedupe_key)


def retry_delay(attempts: int) -> dt.timedelta:
    """Backoff after the n-th failed attempt: 1, 2, 4 … minutes, at most 6 hours."""
    return min(dt.timedelta(minutes=2 ** max(0, attempts - 1)), dt.timedelta(hours=6))
