"""One-time secrets in the `one_time_secrets` table."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, Row, select, update

from lk_adapters.sqlalchemy.tables import one_time_secrets as table
from lk_core.access.one_time_secrets import OneTimeSecret, SecretPurpose


def _secret(row: Row[Any]) -> OneTimeSecret:
    return OneTimeSecret(
        purpose=SecretPurpose(row.purpose),
        subject=row.subject,
        secret_hash=row.secret_hash,
        issued_at=row.issued_at,
        expires_at=row.expires_at,
        attempts_left=row.attempts_left,
        payload=row.payload,
        used_at=row.used_at,
    )


class SqlAlchemySecrets:
    """Secrets by hash, in the order they were issued."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add(self, secret: OneTimeSecret) -> None:
        self._connection.execute(
            table.insert().values(
                purpose=secret.purpose.value,
                subject=secret.subject,
                secret_hash=secret.secret_hash,
                issued_at=secret.issued_at,
                expires_at=secret.expires_at,
                attempts_left=secret.attempts_left,
                payload=secret.payload,
                used_at=secret.used_at,
            )
        )

    def find(self, secret_hash: str) -> OneTimeSecret | None:
        query = select(table).where(table.c.secret_hash == secret_hash)
        row = self._connection.execute(query).first()
        return _secret(row) if row is not None else None

    def latest(self, subject: str, purpose: SecretPurpose) -> OneTimeSecret | None:
        query = (
            select(table)
            .where(table.c.subject == subject, table.c.purpose == purpose.value)
            .order_by(table.c.issued_at.desc(), table.c.id.desc())
            .limit(1)
        )
        row = self._connection.execute(query).first()
        return _secret(row) if row is not None else None

    def consume(self, secret_hash: str, purpose: SecretPurpose, at: dt.datetime) -> bool:
        # One statement: of concurrent ones, the first to write wins and the others find
        # `used_at` set when they re-check the condition after its commit.
        statement = (
            update(table)
            .where(
                table.c.secret_hash == secret_hash,
                table.c.purpose == purpose.value,
                table.c.used_at.is_(None),
                table.c.expires_at > at,
                table.c.attempts_left > 0,
            )
            .values(used_at=at)
        )
        return self._connection.execute(statement).rowcount == 1

    def spend_attempt(self, secret_hash: str) -> bool:
        statement = (
            update(table)
            .where(
                table.c.secret_hash == secret_hash,
                table.c.used_at.is_(None),
                table.c.attempts_left > 0,
            )
            .values(attempts_left=table.c.attempts_left - 1)
        )
        return self._connection.execute(statement).rowcount == 1

    def void(self, secret_hash: str) -> None:
        self._connection.execute(
            update(table).where(table.c.secret_hash == secret_hash).values(attempts_left=0)
        )
