"""The audit log in the `audit_log` table."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, Row, select

from lk_adapters.sqlalchemy.driver_sql import DriverSql, utc_param
from lk_adapters.sqlalchemy.tables import audit_log as table
from lk_core.access.audit import AuditEvent, AuditKind


def _details_json(details: tuple[tuple[str, str], ...]) -> str:
    """A JSON list of `[key, value]` pairs: keeps their order, and any repeated key."""
    return json.dumps([list(pair) for pair in details], ensure_ascii=False)


def _event(row: Row[Any]) -> AuditEvent:
    return AuditEvent(
        at=row.at,
        kind=AuditKind(row.kind),
        account_key=row.account_key,
        ip=row.ip,
        actor=row.actor,
        details=tuple((key, value) for key, value in json.loads(row.details)),
    )


# On the driver (driver_sql.py): every sign-in records an event.
_INSERT = DriverSql(
    "INSERT INTO audit_log (at, kind, account_key, ip, actor, details) "
    "VALUES (:at, :kind, :account_key, :ip, :actor, :details)"
)


class SqlAlchemyAuditLog:
    """Events in the order they were recorded; never changed or removed."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def record(self, event: AuditEvent) -> None:
        _INSERT.run(
            self._connection,
            {
                "at": utc_param(self._connection, event.at),
                "kind": event.kind.value,
                "account_key": event.account_key,
                "ip": event.ip,
                "actor": event.actor,
                "details": _details_json(event.details),
            },
        )

    def of_account(self, account_key: str, limit: int) -> list[AuditEvent]:
        query = (
            select(table)
            .where(table.c.account_key == account_key)
            .order_by(table.c.at.desc(), table.c.id.desc())
            .limit(limit)
        )
        return [_event(row) for row in self._connection.execute(query)]
