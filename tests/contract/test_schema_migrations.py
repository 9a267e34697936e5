"""The migrations: upgrading a database gives it exactly the schema of `tables.py`."""

from __future__ import annotations

import threading

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

from lk_adapters.sqlalchemy.migrations import alembic_config, current_revision, upgrade_database
from lk_adapters.sqlalchemy.tables import metadata

NEWEST_REVISION = "0018"


def not_the_task_queues(name: str | None, kind: str, parent: object) -> bool:
    """procrastinate's tables (PostgreSQL only) are its own, not in `tables.py`."""
    return not (kind == "table" and (name or "").startswith("procrastinate_"))


def differences_from_tables_module(engine: Engine) -> list[object]:
    with engine.connect() as connection:
        opts = {"compare_type": True, "include_name": not_the_task_queues}
        context = MigrationContext.configure(connection, opts=opts)
        return list(compare_metadata(context, metadata))


def test_there_is_one_line_of_revisions_with_one_head() -> None:
    scripts = ScriptDirectory.from_config(alembic_config())

    assert scripts.get_heads() == [NEWEST_REVISION]


def test_a_database_never_migrated_is_at_no_revision(unmigrated_engine: Engine) -> None:
    assert current_revision(unmigrated_engine) is None


def test_upgrading_brings_the_database_to_the_newest_revision(unmigrated_engine: Engine) -> None:
    upgrade_database(unmigrated_engine)

    assert current_revision(unmigrated_engine) == NEWEST_REVISION


def test_an_upgraded_database_has_exactly_the_schema_of_the_tables_module(
    unmigrated_engine: Engine,
) -> None:
    upgrade_database(unmigrated_engine)

    assert differences_from_tables_module(unmigrated_engine) == []


def test_upgrading_an_up_to_date_database_changes_nothing(unmigrated_engine: Engine) -> None:
    upgrade_database(unmigrated_engine)
    upgrade_database(unmigrated_engine)

    assert current_revision(unmigrated_engine) == NEWEST_REVISION
    assert differences_from_tables_module(unmigrated_engine) == []


def test_downgrading_to_the_base_removes_every_table(unmigrated_engine: Engine) -> None:
    upgrade_database(unmigrated_engine)

    with unmigrated_engine.begin() as connection:
        command.downgrade(alembic_config(connection), "base")

    assert set(inspect(unmigrated_engine).get_table_names()) <= {"alembic_version"}
    assert current_revision(unmigrated_engine) is None


def test_hosts_starting_at_once_each_upgrade_and_all_succeed(unmigrated_engine: Engine) -> None:
    # Every `lk serve` and `lk worker` upgrades at start; several hosts start together.
    starting = threading.Barrier(4)
    failures: list[BaseException] = []

    def start_a_host() -> None:
        starting.wait()
        try:
            upgrade_database(unmigrated_engine)
        except BaseException as error:  # reported by the assertion below
            failures.append(error)

    hosts = [threading.Thread(target=start_a_host) for _ in range(4)]
    for host in hosts:
        host.start()
    for host in hosts:
        host.join()

    assert failures == []
    assert current_revision(unmigrated_engine) == NEWEST_REVISION
    assert differences_from_tables_module(unmigrated_engine) == []
