"""Engines from plain database URLs: the driver is the project's choice, not the user's."""

from __future__ import annotations

import sqlite3
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, exc
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


def database_is_embedded(url: str) -> bool:
    """Whether the database is a file this process reads itself (SQLite), not a server."""
    return normalise_url(url).get_backend_name() == "sqlite"


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
    engine = create_engine(normal, echo=echo, pool_size=10, max_overflow=20)
    _ping_after_idle(engine)
    return engine


# A pooled connection idle this long is pinged before it is handed out (ADR 0032).
PING_AFTER_IDLE_SECONDS = 10.0


def _ping_after_idle(engine: Engine) -> None:
    """SQLAlchemy's recipe for pessimistic disconnect handling, for idle connections only.

    `pool_pre_ping` pings on every checkout: a round trip and 0.13 ms of CPU for each unit
    of work, most of them a few milliseconds after the last. A connection that was busy a
    moment ago is alive; one that sat idle (through a database restart, say) is pinged, and
    a dead one makes the pool retry with a fresh connection. A server lost in between still
    fails that request once, and the pool then drops its other connections.
    """

    def on_checkin(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    def on_checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get("idle_since")
        if since is not None and time.monotonic() - since < PING_AFTER_IDLE_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
            dbapi_connection.rollback()
        except Exception as error:
            raise exc.DisconnectionError("the database connection is gone") from error

    event.listen(engine, "checkin", on_checkin)
    event.listen(engine, "checkout", on_checkout)
