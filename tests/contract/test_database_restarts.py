"""A PostgreSQL connection that died while idle in the pool is replaced, not handed out."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

from conftest import empty_postgres_schema, postgres_url
from lk_adapters.sqlalchemy import engine as engines

pytestmark = pytest.mark.postgres


@pytest.fixture
def engine() -> Iterator[Engine]:
    with empty_postgres_schema() as engine:
        yield engine


def backend_of(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT pg_backend_pid()")).scalar_one())


def kill(pid: int) -> None:
    with psycopg.connect(postgres_url(), autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))


def test_a_connection_killed_while_idle_is_replaced_before_it_is_used(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = backend_of(engine)
    kill(first)
    monkeypatch.setattr(engines, "PING_AFTER_IDLE_SECONDS", 0.0)  # it has been idle long

    second = backend_of(engine)

    assert second != first


def test_a_connection_used_a_moment_ago_is_handed_out_without_a_ping(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    pings: list[object] = []
    real_ping = engine.dialect.do_ping
    monkeypatch.setattr(engine.dialect, "do_ping", lambda c: pings.append(c) or real_ping(c))

    backend_of(engine)  # a new connection: pinged, as one never used may be stale
    backend_of(engine)
    backend_of(engine)

    assert len(pings) == 1


def test_a_connection_killed_while_busy_fails_that_request_once_and_the_next_is_fresh(
    engine: Engine,
) -> None:
    first = backend_of(engine)
    kill(first)

    with pytest.raises(OperationalError):
        backend_of(engine)
    assert backend_of(engine) != first
