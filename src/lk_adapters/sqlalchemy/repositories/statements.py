"""Statements whose SQL differs between SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, Table
from sqlalchemy.dialects import postgresql, sqlite


def insert_for(connection: Connection, table: Table) -> sqlite.Insert | postgresql.Insert:
    """An INSERT that can say what to do on conflict, in the connection's dialect."""
    if connection.dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def upsert(
    connection: Connection,
    table: Table,
    rows: Sequence[Mapping[str, Any]],
    key: Sequence[str],
) -> None:
    """Insert rows; a row whose key is already there replaces every other column."""
    if not rows:
        return
    statement = insert_for(connection, table)
    replaced = {
        column.name: statement.excluded[column.name]
        for column in table.columns
        if column.name not in key
    }
    connection.execute(statement.on_conflict_do_update(index_elements=key, set_=replaced), rows)


def in_code_point_order(connection: Connection, column: ColumnElement[str]) -> ColumnElement[str]:
    """Order text as Python does, whatever the PostgreSQL database's collation is."""
    if connection.dialect.name == "postgresql":
        return column.collate("C")
    return column
