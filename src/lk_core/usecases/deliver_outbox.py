"""Delivering the outbox: claim what is due, send it, record each outcome.

Sending happens outside any transaction (a gateway may take seconds); the claim and each
outcome are committed on their own, so a worker that dies mid-batch loses nothing: its
claimed messages become due again when their lease runs out.
"""

from __future__ import annotations

import datetime as dt

import attrs

from lk_core.kernel.runtime import Clock
from lk_core.messaging import outbox
from lk_core.messaging.outbox import OutboxMessage
from lk_core.messaging.ports import Mailer, SmsSender
from lk_core.unit_of_work import UnitOfWorkFactory

ERROR_TEXT_LIMIT = 500


class DeliveryFailed(Exception):
    """A gateway did not deliver a message; `permanent` when retrying cannot help.

    The text is stored with the message and shown to operators, so gateways put in it
    what went wrong (a reply code, a reason) and never the message's body.
    """

    def __init__(self, reason: str, *, permanent: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


@attrs.frozen
class DeliveryReport:
    """What one run did: delivered, to be retried later, given up on, and claimed but
    not tried (too little of the lease was left; due again when it runs out)."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    postponed: int = 0

    @property
    def total(self) -> int:
        return self.sent + self.retried + self.failed + self.postponed


def deliver_due_messages(
    uow_factory: UnitOfWorkFactory,
    mailer: Mailer,
    sms_sender: SmsSender,
    clock: Clock,
    *,
    batch: int = 50,
    lease: dt.timedelta = dt.timedelta(minutes=5),
) -> DeliveryReport:
    """Send up to `batch` due messages, each once, and record how each went."""
    claimed_at = clock.now()
    with uow_factory() as uow:
        claimed = uow.outbox.claim_due(claimed_at, batch, lease)
        uow.commit()
    # A send is started only while half the lease is left, so that it ends before
    # another worker may claim the same message again and send it twice.
    last_start = claimed_at + lease / 2
    sent = retried = failed = 0
    for done, message in enumerate(claimed):
        if clock.now() >= last_start:
            return DeliveryReport(sent, retried, failed, postponed=len(claimed) - done)
        failure = _attempt(message, mailer, sms_sender)
        now = clock.now()
        with uow_factory() as uow:
            if failure is None:
                uow.outbox.mark_sent(message.id, now)
                sent += 1
            else:
                retry_at = _retry_time(message, failure, now)
                uow.outbox.mark_failed(message.id, _error_text(failure), retry_at)
                if retry_at is None:
                    failed += 1
                else:
                    retried += 1
            uow.commit()
    return DeliveryReport(sent=sent, retried=retried, failed=failed)


def _attempt(message: OutboxMessage, mailer: Mailer, sms_sender: SmsSender) -> Exception | None:
    """None when the gateway took the message, else why it did not."""
    try:
        if message.email is not None:
            mailer.send(message.email)
        else:
            assert message.sms is not None
            sms_sender.send(message.sms)
    except Exception as error:  # one broken message must not stop the worker
        return error
    return None


def _retry_time(message: OutboxMessage, failure: Exception, now: dt.datetime) -> dt.datetime | None:
    """When to try again, or None to give up."""
    attempts = message.attempts + 1
    permanent = isinstance(failure, DeliveryFailed) and failure.permanent
    if permanent or attempts >= outbox.MAX_ATTEMPTS:
        return None
    return now + outbox.retry_delay(attempts)


def _error_text(failure: Exception) -> str:
    """What to store about a failure: a gateway's reason, or only the kind of an
    unexpected error (its text might quote the message, and with it a token)."""
    if isinstance(failure, DeliveryFailed):
        text = failure.reason
    else:
        text = f"unexpected error: {type(failure).__name__}"
    return text[:ERROR_TEXT_LIMIT]


def recent_messages(uow_factory: UnitOfWorkFactory, limit: int) -> list[OutboxMessage]:
    """The most recently queued messages, newest first, for an operator to look over."""
    with uow_factory() as uow:
        return uow.outbox.recent(limit)
