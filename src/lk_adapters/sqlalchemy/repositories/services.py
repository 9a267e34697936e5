"""Services in the `services` table."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection

from lk_adapters.sqlalchemy.driver_sql import DriverSql
from lk_adapters.sqlalchemy.repositories.statements import upsert
from lk_adapters.sqlalchemy.tables import services as table
from lk_core.ledger.services import Service

# On the driver (driver_sql.py): the main page names the services of its lines.
_ALL = DriverSql("SELECT code, name, unit, provider FROM services ORDER BY code{code_point_order}")


class SqlAlchemyServices:
    """Services by code."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def upsert_many(self, services: Sequence[Service]) -> None:
        rows = [
            {"code": s.code, "name": s.name, "unit": s.unit, "provider": s.provider}
            for s in services
        ]
        upsert(self._connection, table, rows, key=["code"])

    def list(self) -> list[Service]:
        return [
            Service(code=code, name=name, unit=unit, provider=provider)
            for code, name, unit, provider in _ALL.rows(self._connection, {})
        ]
