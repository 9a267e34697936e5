"""SQL run on the driver's own cursor, for the few statements every page and sign-in runs.

SQLAlchemy Core spends some 20 µs a statement beyond the driver (execution context,
events, result rows, type processors): a primary-key SELECT took 27 µs through Core and
6 µs on sqlite3's cursor, 119 µs and 73 µs on PostgreSQL's psycopg. The hot statements
are written here once as SQL with `:name` parameters, run inside the unit of work's own
transaction, and their values converted as `types.py` converts them (ADR 0032). Every
other statement stays on Core.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection

from lk_adapters.sqlalchemy.types import strip_decimal

_NAMED = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")
# Where text must sort as Python sorts it, whatever the PostgreSQL database's collation.
_CODE_POINT_ORDER = "{code_point_order}"
_ORDER = {"sqlite": "", "postgresql": ' COLLATE "C"'}

Row = tuple[Any, ...]


class DriverSql:
    """One statement for SQLite (`:name`) and PostgreSQL (`%(name)s`), run on the driver.

    `{code_point_order}` after a text column in ORDER BY sorts it as Python sorts text,
    whatever the PostgreSQL database's collation (`COLLATE "C"`; SQLite's is already)."""

    __slots__ = ("_texts",)

    def __init__(self, text: str) -> None:
        self._texts = {
            "sqlite": text.replace(_CODE_POINT_ORDER, _ORDER["sqlite"]),
            "postgresql": _NAMED.sub(
                r"%(\1)s", text.replace("%", "%%").replace(_CODE_POINT_ORDER, _ORDER["postgresql"])
            ),
        }

    def rows(self, connection: Connection, params: Mapping[str, Any]) -> list[Row]:
        return list(self._execute(connection, params).fetchall())

    def first(self, connection: Connection, params: Mapping[str, Any]) -> Row | None:
        row: Row | None = self._execute(connection, params).fetchone()
        return row

    def run(self, connection: Connection, params: Mapping[str, Any]) -> int:
        """Run a statement that returns no rows; the number of rows it changed."""
        return int(self._execute(connection, params).rowcount)

    def _execute(self, connection: Connection, params: Mapping[str, Any]) -> Any:
        # Inside the unit of work's transaction. After a commit a new one begins with
        # the next statement: Core does that by itself, the driver's cursor would not
        # (sqlite3 runs in autocommit mode here, so the statement would commit alone).
        if not connection.in_transaction():
            connection.begin()
        driver: Any = connection.connection.driver_connection
        return driver.execute(self._texts[connection.dialect.name], params)


# --- Values as the columns of `types.py` hold them --------------------------------------


def utc_param(connection: Connection, value: dt.datetime | None) -> Any:
    """An aware datetime as `UtcDateTime` stores it: UTC, naive ISO text on SQLite."""
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("naive datetime given; all times are stored in UTC")
    value = value.astimezone(dt.UTC)
    if connection.dialect.name == "postgresql":
        return value
    return value.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


def optional_utc(value: Any) -> dt.datetime | None:
    """A nullable `UtcDateTime` column's value as an aware UTC datetime, or None."""
    return None if value is None else utc_value(value)


def utc_value(value: Any) -> dt.datetime:
    """A `UtcDateTime` column's value as an aware UTC datetime."""
    if isinstance(value, str):
        return dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC)
    assert isinstance(value, dt.datetime)
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def optional_decimal(value: Any) -> Decimal | None:
    """A nullable `ExactDecimal` column's value as stored, or None."""
    return None if value is None else decimal_value(value)


def decimal_value(value: Any) -> Decimal:
    """An `ExactDecimal` column's value as stored (text on SQLite, NUMERIC on PostgreSQL),
    without the zeros PostgreSQL pads it to its scale with."""
    stripped = strip_decimal(value if isinstance(value, Decimal) else Decimal(value))
    assert stripped is not None
    return stripped
