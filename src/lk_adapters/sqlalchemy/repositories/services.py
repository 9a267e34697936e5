"""Services in the `services` table."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, select

from lk_adapters.sqlalchemy.repositories.statements import in_code_point_order, upsert
from lk_adapters.sqlalchemy.tables import services as table
from lk_core.services import Service


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
        query = select(table).order_by(in_code_point_order(self._connection, table.c.code))
        return [
            Service(code=row.code, name=row.name, unit=row.unit, provider=row.provider)
            for row in self._connection.execute(query)
        ]
