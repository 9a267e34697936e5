"""Sessions in the `sessions` table."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, Row, bindparam, delete, select, update

from lk_adapters.sqlalchemy.tables import sessions as table
from lk_core.access.sessions import Session

# Built once: every page reads its session, every sign-in adds one (parameters apart, the
# statements are the same each time, so SQLAlchemy need not rebuild or re-key them).
_INSERT = table.insert()
_BY_ID = select(table).where(table.c.id_hash == bindparam("id_hash"))


def _state(session: Session) -> dict[str, Any]:
    return {
        "created_at": session.created_at,
        "last_seen_at": session.last_seen_at,
        "registration_key": session.registration_key,
        "account_key": session.account_key,
        "pending_account_key": session.pending_account_key,
    }


def _session(row: Row[Any]) -> Session:
    return Session(
        id_hash=row.id_hash,
        created_at=row.created_at,
        last_seen_at=row.last_seen_at,
        registration_key=row.registration_key,
        account_key=row.account_key,
        pending_account_key=row.pending_account_key,
    )


class SqlAlchemySessions:
    """Sessions by id hash."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add(self, session: Session) -> None:
        self._connection.execute(_INSERT, {"id_hash": session.id_hash, **_state(session)})

    def get(self, id_hash: str) -> Session | None:
        row = self._connection.execute(_BY_ID, {"id_hash": id_hash}).first()
        return _session(row) if row is not None else None

    def save(self, session: Session) -> None:
        self._connection.execute(
            update(table).where(table.c.id_hash == session.id_hash).values(**_state(session))
        )

    def delete(self, id_hash: str) -> None:
        self._connection.execute(delete(table).where(table.c.id_hash == id_hash))

    def delete_of_registration(self, registration_key: str, keep_id_hash: str | None) -> int:
        statement = delete(table).where(table.c.registration_key == registration_key)
        if keep_id_hash is not None:
            statement = statement.where(table.c.id_hash != keep_id_hash)
        return self._connection.execute(statement).rowcount

    def delete_idle(self, last_seen_before: dt.datetime) -> int:
        statement = delete(table).where(table.c.last_seen_at < last_seen_before)
        return self._connection.execute(statement).rowcount
