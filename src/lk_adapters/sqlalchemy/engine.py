"""Engines from plain database URLs: the driver is the project's choice, not the user's."""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url

# Bulk loads hand Decimals straight to the driver; SQLite keeps them as exact text.
sqlite3.register_adapter(Decimal, lambda value: format(value, "f"))


def normalise_url(url: str) -> URL:
    """`sqlite:///x` and `postgresql://…` as users write them, with our drivers."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "postgresql":
        return parsed.set(drivername="postgresql+psycopg")
    if backend == "sqlite":
        return parsed.set(drivername="sqlite+pysqlite")
    raise ValueError(f"unsupported database {backend!r}: use sqlite:/// or postgresql://")


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin, so that
    # reads inside a unit of work see one snapshot and DDL runs inside the transaction.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute("PRAGMA busy_timeout = 10000")
    cursor.close()


# Set in a connection's `info` by a unit of work that will only read.
READ_ONLY = "lk_read_only"


def _on_sqlite_begin(connection: Any) -> None:
    # A deferred transaction that reads and then writes fails at once (SQLITE_BUSY, no
    # waiting) if another connection committed in between. So a unit of work that may
    # write takes the write lock at its start (IMMEDIATE) and queues on busy_timeout;
    # read-only ones stay deferred and read their WAL snapshot without waiting for anyone.
    # Straight to the driver: a statement that returns nothing needs none of
    # SQLAlchemy's execution machinery, and every unit of work begins here.
    driver = connection.connection.driver_connection
    driver.execute("BEGIN" if connection.info.get(READ_ONLY) else "BEGIN IMMEDIATE")


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine for the URL; a SQLite file's folder is created if missing."""
    normal = normalise_url(url)
    if normal.get_backend_name() == "sqlite":
        if normal.database and normal.database != ":memory:":
            Path(normal.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(normal, echo=echo)
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "begin", _on_sqlite_begin)
        return engine
    return create_engine(normal, echo=echo, pool_pre_ping=True, pool_size=10, max_overflow=20)
