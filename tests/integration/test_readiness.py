"""`/readyz` (ADR 0056): ready only when the database answers and its schema is at this
version's newest migration; a load balancer then sends visitors elsewhere."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from alembic import command
from litestar.testing import TestClient

from conftest import empty_database_url
from lk_adapters.container import build_container
from lk_adapters.settings import load_settings
from lk_adapters.sqlalchemy.engine import make_engine
from lk_adapters.sqlalchemy.migrations import alembic_config, upgrade_database
from lk_web.app import create_app


@contextmanager
def portal_over(url: str) -> Iterator[TestClient]:  # type: ignore[type-arg]
    container = build_container(
        load_settings(
            {"LK_DEMO": "1", "LK_DATABASE_URL": url, "LK_PAYMENTS_VERIFY_IN_PROCESS": "0"}
        )
    )
    try:
        with TestClient(app=create_app(container)) as client:
            yield client
    finally:
        container.engine().dispose()


@contextmanager
def migrated_database(kind: str, folder: Path, *, behind: bool = False) -> Iterator[str]:
    """A database's URL, its schema at the newest migration or one behind."""
    with empty_database_url(kind, folder) as url:
        engine = make_engine(url)
        try:
            upgrade_database(engine)
            if behind:
                with engine.begin() as connection:
                    command.downgrade(alembic_config(connection), "-1")
        finally:
            engine.dispose()
        yield url


DATABASES = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.mark.parametrize("database", DATABASES)
def test_a_database_at_the_newest_migration_is_ready(database: str, tmp_path: Path) -> None:
    with migrated_database(database, tmp_path) as url, portal_over(url) as client:
        answer = client.get("/readyz")

    assert answer.status_code == 200
    assert answer.json() == {"status": "ready"}


@pytest.mark.parametrize("database", DATABASES)
def test_a_database_behind_on_migrations_is_not_ready(database: str, tmp_path: Path) -> None:
    with migrated_database(database, tmp_path, behind=True) as url, portal_over(url) as client:
        answer = client.get("/readyz")
        alive = client.get("/healthz")

    assert answer.status_code == 503
    assert answer.json() == {"status": "unavailable", "reason": "migrations"}
    assert alive.status_code == 200  # alive, just not to be sent visitors


def test_an_unreachable_database_is_not_ready() -> None:
    with portal_over("postgresql://lk@127.0.0.1:1/lk?connect_timeout=2") as client:
        answer = client.get("/readyz")

    assert answer.status_code == 503
    assert answer.json() == {"status": "unavailable", "reason": "database"}
