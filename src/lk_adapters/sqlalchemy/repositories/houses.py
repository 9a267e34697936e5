"""Houses in the `houses` table."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Row, select

from lk_adapters.sqlalchemy.repositories.decimals import exact
from lk_adapters.sqlalchemy.repositories.statements import upsert
from lk_adapters.sqlalchemy.tables import houses as table
from lk_core.accounts.account import House


def _house(row: Row[Any]) -> House:
    return House(code=row.code, address=row.address, total_area=exact(row.total_area))


class SqlAlchemyHouses:
    """Houses by code."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def get(self, code: str) -> House | None:
        row = self._connection.execute(select(table).where(table.c.code == code)).first()
        return _house(row) if row is not None else None

    def upsert_many(self, houses: Sequence[House]) -> None:
        rows = [{"code": h.code, "address": h.address, "total_area": h.total_area} for h in houses]
        upsert(self._connection, table, rows, key=["code"])

    def codes(self) -> set[str]:
        return set(self._connection.execute(select(table.c.code)).scalars())

    def all(self) -> list[House]:
        # Sorted here, not by the database: PostgreSQL's collation would order codes
        # differently from SQLite's and from the memory adapter.
        rows = self._connection.execute(select(table)).all()
        return sorted((_house(row) for row in rows), key=lambda house: house.code)
