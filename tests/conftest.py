"""Shared fixtures: databases and units of work over every persistence adapter."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from lk_adapters.memory import InMemoryUnitOfWorkFactory
from lk_adapters.portal_unit_of_work import PortalUnitOfWorkFactory
from lk_adapters.sqlalchemy.engine import make_engine
from lk_adapters.sqlalchemy.migrations import upgrade_database
from lk_adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWorkFactory

if TYPE_CHECKING:
    from s3_server import S3Server

POSTGRES_URL_VARIABLE = "LK_TEST_POSTGRES_URL"

SQL_DATABASES = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
PERSISTENCE_ADAPTERS = ["memory", *SQL_DATABASES]


def postgres_url() -> str:
    """The test server's URL; without one, skip (or, on CI, fail: CI must test PostgreSQL)."""
    url = os.environ.get(POSTGRES_URL_VARIABLE)
    if url:
        return url
    reason = f"{POSTGRES_URL_VARIABLE} is not set, so the PostgreSQL adapters are not tested"
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; on CI it must be set", pytrace=False)
    pytest.skip(reason)


@contextmanager
def empty_sqlite(folder: Path) -> Iterator[Engine]:
    """An engine over a new SQLite file."""
    engine = make_engine(f"sqlite:///{folder / 'lk.sqlite3'}")
    try:
        yield engine
    finally:
        engine.dispose()


@contextmanager
def empty_postgres_schema() -> Iterator[Engine]:
    """An engine whose connections see only a new schema of their own, dropped afterwards."""
    url = postgres_url()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(url)
    try:
        with admin.begin() as connection:
            connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
        scoped = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
        engine = make_engine(scoped.render_as_string(hide_password=False))
        try:
            yield engine
        finally:
            engine.dispose()
            with admin.begin() as connection:
                connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
    finally:
        admin.dispose()


@contextmanager
def empty_database(kind: str, folder: Path) -> Iterator[Engine]:
    """An engine over an empty database of that kind (`sqlite` or `postgres`)."""
    manager = empty_sqlite(folder) if kind == "sqlite" else empty_postgres_schema()
    with manager as engine:
        yield engine


@contextmanager
def empty_database_url(kind: str, folder: Path) -> Iterator[str]:
    """The URL of an empty database of that kind, for commands that open it themselves: a
    SQLite file, or a PostgreSQL schema of its own (dropped afterwards)."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'lk.sqlite3'}"
        return
    url = postgres_url()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(url)
    try:
        with admin.begin() as connection:
            connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
        try:
            scoped = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
            yield scoped.render_as_string(hide_password=False)
        finally:
            with admin.begin() as connection:
                connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
    finally:
        admin.dispose()


@pytest.fixture(params=SQL_DATABASES)
def unmigrated_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An engine over an empty database, once for each SQL database the portal runs on."""
    with empty_database(request.param, tmp_path) as engine:
        yield engine


@pytest.fixture(params=PERSISTENCE_ADAPTERS)
def uow_factory(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[PortalUnitOfWorkFactory]:
    """Units of work over an empty store, once for each persistence adapter."""
    if request.param == "memory":
        yield InMemoryUnitOfWorkFactory()
        return
    with empty_database(request.param, tmp_path) as engine:
        upgrade_database(engine)
        yield SqlAlchemyUnitOfWorkFactory(engine)


@pytest.fixture(params=SQL_DATABASES)
def sql_uow_factory(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[PortalUnitOfWorkFactory]:
    """Units of work over an empty database shared by several connections at once, once for
    each SQL database (the in-memory store does not merge concurrent transactions)."""
    with empty_database(request.param, tmp_path) as engine:
        upgrade_database(engine)
        yield SqlAlchemyUnitOfWorkFactory(engine)


@pytest.fixture
def postgres_uow_factory() -> Iterator[PortalUnitOfWorkFactory]:
    """Units of work over an empty PostgreSQL schema, for what only PostgreSQL promises."""
    with empty_postgres_schema() as engine:
        upgrade_database(engine)
        yield SqlAlchemyUnitOfWorkFactory(engine)


# --- receipts in object storage (ADR 0055) ---
@pytest.fixture(scope="session")
def s3() -> Iterator[S3Server]:
    """One real S3 server (moto's) on 127.0.0.1 for the whole run; a bucket per test."""
    from s3_server import s3_server  # moto loads only when a test needs it

    with s3_server() as running:
        yield running
