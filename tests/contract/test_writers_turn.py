"""Writers of one SQLite file take turns, within a process and across processes."""

from __future__ import annotations

import fcntl
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

from conftest import empty_sqlite
from lk_adapters.sqlalchemy import engine as engines
from lk_adapters.sqlalchemy.migrations import upgrade_database
from lk_adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWorkFactory

from .builders import a_house


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    with empty_sqlite(tmp_path) as engine:
        upgrade_database(engine)
        yield engine


def test_writing_threads_each_get_their_turn_and_every_change_is_kept(engine: Engine) -> None:
    uow_factory = SqlAlchemyUnitOfWorkFactory(engine)
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            for k in range(10):
                with uow_factory() as uow:
                    uow.houses.upsert_many([a_house(f"H{n}-{k}")])
                    uow.commit()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    with uow_factory(read_only=True) as uow:
        assert len(uow.houses.codes()) == 80


def test_a_writer_waits_for_another_process_holding_the_turn(
    engine: Engine, tmp_path: Path
) -> None:
    turn = tmp_path / "lk.sqlite3.writers"
    holder = subprocess.Popen(
        [sys.executable, "-c", (
            "import fcntl, os, sys, time\n"
            f"fd = os.open({str(turn)!r}, os.O_RDWR | os.O_CREAT)\n"
            "fcntl.flock(fd, fcntl.LOCK_EX)\n"
            "print('held', flush=True)\n"
            "time.sleep(0.4)\n"
        )],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "held"
    started = time.monotonic()

    with SqlAlchemyUnitOfWorkFactory(engine)() as uow:
        uow.houses.upsert_many([a_house("H1")])
        uow.commit()

    waited = time.monotonic() - started
    holder.wait(timeout=10)
    assert 0.25 < waited < 5


def test_readers_take_no_turn(engine: Engine, tmp_path: Path) -> None:
    turn = tmp_path / "lk.sqlite3.writers"
    holder = subprocess.Popen(
        [sys.executable, "-c", (
            "import fcntl, os, time\n"
            f"fd = os.open({str(turn)!r}, os.O_RDWR | os.O_CREAT)\n"
            "fcntl.flock(fd, fcntl.LOCK_EX)\n"
            "print('held', flush=True)\n"
            "time.sleep(5)\n"
        )],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        with SqlAlchemyUnitOfWorkFactory(engine)(read_only=True) as uow:
            uow.houses.codes()
        assert time.monotonic() - started < 1
    finally:
        holder.kill()
        holder.wait()


def test_a_second_writer_in_the_same_thread_is_refused_by_sqlite_not_left_hanging(
    engine: Engine,
) -> None:
    outcome: list[object] = []

    def nested() -> None:
        with SqlAlchemyUnitOfWorkFactory(engine)() as outer:
            outer.houses.upsert_many([a_house("H1")])
            with engine.connect() as inner:
                driver = inner.connection.driver_connection
                assert driver is not None
                driver.execute("PRAGMA busy_timeout = 100")
                try:
                    inner.begin()
                    inner.execute(text("SELECT 1"))
                    outcome.append("began")
                except (OperationalError, sqlite3.OperationalError) as error:
                    outcome.append(error)

    thread = threading.Thread(target=nested, daemon=True)
    thread.start()
    thread.join(timeout=5)

    assert not thread.is_alive()
    [result] = outcome
    assert isinstance(result, OperationalError | sqlite3.OperationalError)
    assert "locked" in str(result)


@pytest.mark.parametrize("end", ["commit", "rollback"])
def test_the_turn_is_handed_over_only_after_sqlite_has_ended_the_transaction(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, end: str
) -> None:
    happened: list[str] = []
    real_flock = engines.fcntl.flock

    def flock(descriptor: int, operation: int) -> None:
        if operation == fcntl.LOCK_UN:
            happened.append("turn handed over")
        real_flock(descriptor, operation)

    monkeypatch.setattr(engines.fcntl, "flock", flock)
    with SqlAlchemyUnitOfWorkFactory(engine)() as uow:
        driver = uow._connection.connection.driver_connection  # type: ignore[attr-defined]
        driver.set_trace_callback(happened.append)
        uow.houses.upsert_many([a_house("H1")])
        getattr(uow, end)()
        driver.set_trace_callback(None)

    ended = end.upper()
    assert ended in happened
    assert happened.index(ended) < happened.index("turn handed over")
