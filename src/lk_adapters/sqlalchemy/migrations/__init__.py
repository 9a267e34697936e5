"""Alembic migrations, run from code: no alembic.ini, the engine is passed in."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

HERE = Path(__file__).parent
# Any fixed number: the PostgreSQL advisory lock that lets one process at a time migrate.
MIGRATION_LOCK = 0x6C6B_6D69  # "lkmi"


def alembic_config(connection: Connection | None = None, secret_sealer: Any = None) -> Config:
    """Alembic's configuration for this package, running over `connection` if given; a
    data migration that converts sealed secrets uses `secret_sealer` if given (else the
    one configured from the environment)."""
    config = Config()
    config.set_main_option("script_location", str(HERE))
    if connection is not None:
        config.attributes["connection"] = connection
    if secret_sealer is not None:
        config.attributes["secret_sealer"] = secret_sealer
    return config


def upgrade_database(engine: Engine, secret_sealer: Any = None) -> None:
    """Bring the database's schema up to the newest revision, in one transaction.

    On PostgreSQL, several hosts' `lk serve` and `lk worker` start at once and each
    upgrades: a transaction-scoped advisory lock makes them take turns, so the first
    migrates and the others find the schema at head (SQLite's own write lock does that
    for one file)."""
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        command.upgrade(alembic_config(connection, secret_sealer), "head")


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at; None for a database never migrated."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


@functools.cache
def head_revision() -> str | None:
    """The newest revision this version of the portal knows."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()
