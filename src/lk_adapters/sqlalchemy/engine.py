"""Engines from plain database URLs: the driver is the project's choice, not the user's."""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
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


_HOLDS_WRITERS_TURN = "lk_holds_writers_turn"
# As long as SQLite's own busy timeout: past it, SQLite arbitrates (and refuses) itself.
TURN_TIMEOUT_SECONDS = 10.0


class _WritersTurn:
    """Writers of one SQLite file take turns: the threads of a process through a lock, the
    processes (web workers, `lk` commands) through an advisory lock on a file beside it.

    Left to SQLite, a writer waiting for its one write lock sleeps in the busy handler,
    which backs off to 100 ms between tries: with 16 residents submitting readings at
    once the slowest waited 0.6-0.9 s for a lock held a millisecond at a time. Queued
    here, a thread is woken as soon as the one before it is done, and only the first in
    line of each process polls for the other processes (every 0.2-2 ms). A crashed
    holder's file lock is released by the kernel. Read-only units of work take no turn.
    Past the busy timeout a writer stops waiting here and lets SQLite arbitrate.
    """

    def __init__(self, database: Path | None) -> None:
        # An in-memory database has no file and no other process: the threads' lock does.
        self._path = None if database is None else database.with_name(database.name + ".writers")
        self._threads = threading.Lock()
        self._file: tuple[int, int] | None = None  # (pid, descriptor): not shared by forks
        self._held = threading.local()

    def on_begin(self, connection: Any) -> None:
        # A deferred transaction that reads and then writes fails at once (SQLITE_BUSY,
        # no waiting) if another connection committed in between. So a unit of work that
        # may write takes the write lock at its start (IMMEDIATE) and queues for it;
        # read-only ones stay deferred and read their WAL snapshot without waiting.
        # Straight to the driver: a statement that returns nothing needs none of
        # SQLAlchemy's execution machinery, and every unit of work begins here.
        driver = connection.connection.driver_connection
        if connection.info.get(READ_ONLY):
            driver.execute("BEGIN")
            return
        if not getattr(self._held, "turn", False) and self._take():
            connection.info[_HOLDS_WRITERS_TURN] = True
            self._held.turn = True
        try:
            driver.execute("BEGIN IMMEDIATE")
        except BaseException:
            self._hand_over(connection)
            raise

    # SQLAlchemy's `commit` and `rollback` events come before it tells the driver: the
    # turn is handed over only once the driver has ended the transaction (the driver's
    # own commit or rollback that follows then has nothing left to do).

    def on_commit(self, connection: Any) -> None:
        self._end(connection, "commit")

    def on_rollback(self, connection: Any) -> None:
        self._end(connection, "rollback")

    def _end(self, connection: Any, how: str) -> None:
        if connection.info.get(_HOLDS_WRITERS_TURN):
            try:
                getattr(connection.connection.driver_connection, how)()
            finally:
                self._hand_over(connection)

    def _hand_over(self, connection: Any) -> None:
        if connection.info.pop(_HOLDS_WRITERS_TURN, False):
            self._held.turn = False
            if self._path is not None:
                fcntl.flock(self._descriptor(), fcntl.LOCK_UN)
            self._threads.release()

    def _take(self) -> bool:
        deadline = time.monotonic() + TURN_TIMEOUT_SECONDS
        if not self._threads.acquire(timeout=TURN_TIMEOUT_SECONDS):
            return False
        if self._path is None:
            return True
        pause = 0.0002
        while True:
            try:
                fcntl.flock(self._descriptor(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                if time.monotonic() > deadline:
                    self._threads.release()
                    return False
                time.sleep(pause)
                pause = min(pause * 2, 0.002)

    def _descriptor(self) -> int:
        # Called with the thread lock held.
        assert self._path is not None
        if self._file is None or self._file[0] != os.getpid():
            self._file = (os.getpid(), os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600))
        return self._file[1]


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine for the URL; a SQLite file's folder is created if missing."""
    normal = normalise_url(url)
    if normal.get_backend_name() == "sqlite":
        database = None
        if normal.database and normal.database != ":memory:":
            database = Path(normal.database)
            database.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(normal, echo=echo)
        turn = _WritersTurn(database)
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "begin", turn.on_begin)
        event.listen(engine, "commit", turn.on_commit)
        event.listen(engine, "rollback", turn.on_rollback)
        return engine
    # Last in, first out: a request gets the connection used last, which needs no ping
    # (below); with first in, first out it got the one idle longest (ADR 0059).
    engine = create_engine(normal, echo=echo, pool_size=10, max_overflow=20, pool_use_lifo=True)
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
