"""The outbox in the `outbox_messages` and `outbox_attachments` tables."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Row, Select, and_, or_, select, update

from lk_adapters.sqlalchemy.repositories.statements import insert_for
from lk_adapters.sqlalchemy.tables import outbox_attachments as attachments_table
from lk_adapters.sqlalchemy.tables import outbox_messages as table
from lk_core.messaging.messages import Attachment, EmailMessage, SmsMessage
from lk_core.messaging.outbox import OutboxMessage, OutboxStatus

LAST_ERROR_LENGTH = 500


def _body(message: OutboxMessage) -> dict[str, str]:
    if message.email is not None:
        email = message.email
        return {"subject": email.subject, "text": email.text, "html": email.html}
    assert message.sms is not None
    return {"subject": "", "text": message.sms.text, "html": ""}


def _row(message: OutboxMessage) -> dict[str, Any]:
    return _body(message) | {
        "id": message.id,
        "created_at": message.created_at,
        "channel": message.channel,
        "recipient": message.recipient,
        "status": message.status.value,
        "attempts": message.attempts,
        "next_attempt_at": message.next_attempt_at,
        "last_error": message.last_error[:LAST_ERROR_LENGTH],
        "sent_at": message.sent_at,
        "dedupe_key": message.dedupe_key,
    }


def _attachment_rows(message: OutboxMessage) -> list[dict[str, Any]]:
    attachments = message.email.attachments if message.email is not None else ()
    return [
        {
            "message_id": message.id,
            "position": position,
            "filename": attachment.filename,
            "content_type": attachment.content_type,
            "content": attachment.content,
        }
        for position, attachment in enumerate(attachments)
    ]


def _message(row: Row[Any], attachments: Sequence[Attachment]) -> OutboxMessage:
    email = sms = None
    if row.channel == "email":
        email = EmailMessage(row.recipient, row.subject, row.text, row.html, tuple(attachments))
    else:
        sms = SmsMessage(row.recipient, row.text)
    return OutboxMessage(
        id=row.id,
        created_at=row.created_at,
        email=email,
        sms=sms,
        status=OutboxStatus(row.status),
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at,
        last_error=row.last_error,
        sent_at=row.sent_at,
        dedupe_key=row.dedupe_key,
    )


class SqlAlchemyOutbox:
    """Messages by id, each with its attachments in order; a claim leases a message."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add(self, message: OutboxMessage) -> bool:
        statement = (
            insert_for(self._connection, table)
            .values(**_row(message))
            .on_conflict_do_nothing(index_elements=[table.c.dedupe_key])
            .returning(table.c.id)
        )
        if self._connection.execute(statement).first() is None:
            return False
        attachment_rows = _attachment_rows(message)
        if attachment_rows:
            self._connection.execute(attachments_table.insert(), attachment_rows)
        return True

    def claim_due(self, now: dt.datetime, limit: int, lease: dt.timedelta) -> list[OutboxMessage]:
        due = (
            select(table.c.id)
            .where(
                or_(
                    and_(
                        table.c.status == OutboxStatus.PENDING.value,
                        table.c.next_attempt_at <= now,
                    ),
                    and_(table.c.status == OutboxStatus.SENDING.value, table.c.lease_until < now),
                )
            )
            .order_by(table.c.created_at, table.c.id)
            .limit(limit)
        )
        if self._connection.dialect.name == "postgresql":
            # Rows another worker has claimed but not yet committed are passed over,
            # not waited for; SQLite needs nothing: it runs one writer at a time, and
            # this single statement takes the write lock before it reads.
            due = due.with_for_update(skip_locked=True)
        claim = (
            update(table)
            .where(table.c.id.in_(due))
            .values(status=OutboxStatus.SENDING.value, lease_until=now + lease)
            .returning(table.c.id)
        )
        claimed = self._connection.execute(claim).scalars().all()
        if not claimed:
            return []
        return self._load(
            select(table).where(table.c.id.in_(claimed)).order_by(table.c.created_at, table.c.id)
        )

    def mark_sent(self, message_id: str, at: dt.datetime) -> None:
        self._connection.execute(
            update(table)
            .where(table.c.id == message_id)
            .values(
                status=OutboxStatus.SENT.value,
                sent_at=at,
                attempts=table.c.attempts + 1,
                lease_until=None,
            )
        )

    def mark_failed(self, message_id: str, error: str, retry_at: dt.datetime | None) -> None:
        outcome: dict[str, Any] = (
            {"status": OutboxStatus.FAILED.value}
            if retry_at is None
            else {"status": OutboxStatus.PENDING.value, "next_attempt_at": retry_at}
        )
        self._connection.execute(
            update(table)
            .where(table.c.id == message_id)
            .values(
                attempts=table.c.attempts + 1,
                last_error=error[:LAST_ERROR_LENGTH],
                lease_until=None,
                **outcome,
            )
        )

    def get(self, message_id: str) -> OutboxMessage | None:
        found = self._load(select(table).where(table.c.id == message_id))
        return found[0] if found else None

    def recent(self, limit: int) -> list[OutboxMessage]:
        return self._load(
            select(table).order_by(table.c.created_at.desc(), table.c.id.desc()).limit(limit)
        )

    def _load(self, query: Select[Any]) -> list[OutboxMessage]:
        rows = self._connection.execute(query).all()
        emails = [row.id for row in rows if row.channel == "email"]
        attachments: defaultdict[str, list[Attachment]] = defaultdict(list)
        if emails:
            attached = (
                select(attachments_table)
                .where(attachments_table.c.message_id.in_(emails))
                .order_by(attachments_table.c.message_id, attachments_table.c.position)
            )
            for part in self._connection.execute(attached):
                attachments[part.message_id].append(
                    Attachment(part.filename, part.content_type, bytes(part.content))
                )
        return [_message(row, attachments[row.id]) for row in rows]
