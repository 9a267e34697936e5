"""Sessions in the `sessions` table."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, delete

from lk_adapters.sqlalchemy.driver_sql import DriverSql, Row, utc_param, utc_value
from lk_adapters.sqlalchemy.tables import sessions as table
from lk_core.access.sessions import Session

# On the driver (driver_sql.py): every page reads its session, every sign-in adds one.
_COLUMNS = (
    "id_hash, created_at, last_seen_at, registration_key, account_key, pending_account_key, "
    "device_id, expires_at"
)
_BY_ID = DriverSql(f"SELECT {_COLUMNS} FROM sessions WHERE id_hash = :id_hash")  # noqa: S608
_INSERT = DriverSql(
    f"INSERT INTO sessions ({_COLUMNS}) VALUES (:id_hash, :created_at, :last_seen_at, "  # noqa: S608
    ":registration_key, :account_key, :pending_account_key, :device_id, :expires_at)"
)
_UPDATE = DriverSql(
    "UPDATE sessions SET created_at = :created_at, last_seen_at = :last_seen_at, "
    "registration_key = :registration_key, account_key = :account_key, "
    "pending_account_key = :pending_account_key, device_id = :device_id, "
    "expires_at = :expires_at WHERE id_hash = :id_hash"
)


def _params(connection: Connection, session: Session) -> dict[str, Any]:
    return {
        "id_hash": session.id_hash,
        "created_at": utc_param(connection, session.created_at),
        "last_seen_at": utc_param(connection, session.last_seen_at),
        "registration_key": session.registration_key,
        "account_key": session.account_key,
        "pending_account_key": session.pending_account_key,
        "device_id": session.device_id,
        "expires_at": (
            utc_param(connection, session.expires_at) if session.expires_at is not None else None
        ),
    }


def _session(row: Row) -> Session:
    id_hash, created_at, last_seen_at, registration_key, account_key, pending, device, ends = row
    return Session(
        id_hash=id_hash,
        created_at=utc_value(created_at),
        last_seen_at=utc_value(last_seen_at),
        registration_key=registration_key,
        account_key=account_key,
        pending_account_key=pending,
        device_id=device,
        expires_at=utc_value(ends) if ends is not None else None,
    )


class SqlAlchemySessions:
    """Sessions by id hash."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add(self, session: Session) -> None:
        _INSERT.run(self._connection, _params(self._connection, session))

    def get(self, id_hash: str) -> Session | None:
        row = _BY_ID.first(self._connection, {"id_hash": id_hash})
        return _session(row) if row is not None else None

    def save(self, session: Session) -> None:
        _UPDATE.run(self._connection, _params(self._connection, session))

    def delete(self, id_hash: str) -> None:
        self._connection.execute(delete(table).where(table.c.id_hash == id_hash))

    def delete_of_registration(self, registration_key: str, keep_id_hash: str | None) -> int:
        statement = delete(table).where(table.c.registration_key == registration_key)
        if keep_id_hash is not None:
            statement = statement.where(table.c.id_hash != keep_id_hash)
        return self._connection.execute(statement).rowcount

    def delete_of_device(self, device_id: str) -> int:
        statement = delete(table).where(table.c.device_id == device_id)
        return self._connection.execute(statement).rowcount

    def delete_idle(self, last_seen_before: dt.datetime) -> int:
        statement = delete(table).where(table.c.last_seen_at < last_seen_before)
        return self._connection.execute(statement).rowcount
