"""API keys in the `api_keys` table."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, insert, select, update

from lk_adapters.sqlalchemy.driver_sql import utc_value
from lk_adapters.sqlalchemy.tables import api_keys as table
from lk_core.service_api.api_keys import ApiKey, Scope


def _key(row: Any) -> ApiKey:
    return ApiKey(
        id=row.id,
        name=row.name,
        scopes=frozenset(Scope(word) for word in row.scopes.split()),
        secret_hash=row.secret_hash,
        created_at=utc_value(row.created_at),
        created_by=row.created_by,
        last_used_at=None if row.last_used_at is None else utc_value(row.last_used_at),
        revoked_at=None if row.revoked_at is None else utc_value(row.revoked_at),
    )


class SqlAlchemyApiKeys:
    """API keys by id."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add(self, key: ApiKey) -> None:
        self._connection.execute(
            insert(table).values(
                id=key.id,
                name=key.name,
                scopes=" ".join(sorted(scope.value for scope in key.scopes)),
                secret_hash=key.secret_hash,
                created_at=key.created_at,
                created_by=key.created_by,
                last_used_at=key.last_used_at,
                revoked_at=key.revoked_at,
            )
        )

    def get(self, key_id: str) -> ApiKey | None:
        row = self._connection.execute(select(table).where(table.c.id == key_id)).first()
        return None if row is None else _key(row)

    def list(self) -> list[ApiKey]:
        rows = self._connection.execute(select(table).order_by(table.c.created_at, table.c.id))
        return [_key(row) for row in rows]

    def revoke(self, key_id: str, at: dt.datetime) -> bool:
        statement = (
            update(table)
            .where(table.c.id == key_id, table.c.revoked_at.is_(None))
            .values(revoked_at=at)
        )
        return self._connection.execute(statement).rowcount == 1

    def mark_used(self, key_id: str, at: dt.datetime) -> None:
        statement = (
            update(table)
            .where(
                table.c.id == key_id,
                table.c.last_used_at.is_(None) | (table.c.last_used_at < at),
            )
            .values(last_used_at=at)
        )
        self._connection.execute(statement)
