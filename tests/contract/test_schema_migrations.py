"""The migrations: upgrading a database gives it exactly the schema of `tables.py`."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text

from lk_adapters.sealing import FernetSecretSealer
from lk_adapters.sqlalchemy.migrations import alembic_config, current_revision, upgrade_database
from lk_adapters.sqlalchemy.tables import metadata

NEWEST_REVISION = "0016"
MIGRATION_KEY = "the-secret-key-the-keys-are-sealed-with-32+"
AT = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


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


# --- 0014: the staff's TOTP keys sealed at rest (ADR 0072) -------------------------------

PLAIN_KEY = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def _staff_keys(engine: Engine) -> dict[str, str | None]:
    with engine.connect() as connection:
        rows = connection.exec_driver_sql("SELECT login, totp_secret FROM staff_members").all()
    return dict(rows)  # type: ignore[arg-type]


def _at_0013_with_a_plain_key(engine: Engine) -> None:
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0013")
        connection.execute(
            text(
                "INSERT INTO staff_members (login, name, role, password_hash, created_at,"
                " totp_secret, totp_confirmed, totp_last_step) VALUES"
                " (:login, 'Иванова', 'dispatcher', 'h', :at, :key, :confirmed, 0)"
            ),
            [
                {"login": "ivanova", "at": AT, "key": PLAIN_KEY, "confirmed": True},
                {"login": "petrov", "at": AT, "key": None, "confirmed": False},
            ],
        )
        connection.execute(
            text(
                "INSERT INTO staff_sessions (id_hash, login, created_at, last_seen_at, verified)"
                " VALUES ('h1', 'ivanova', :at, :at, :verified)"
            ),
            {"at": AT, "verified": False},
        )


def test_upgrading_to_0014_seals_the_plain_keys_and_ends_the_staff_sessions(
    unmigrated_engine: Engine,
) -> None:
    _at_0013_with_a_plain_key(unmigrated_engine)
    sealer = FernetSecretSealer([MIGRATION_KEY])

    upgrade_database(unmigrated_engine, secret_sealer=sealer)

    keys = _staff_keys(unmigrated_engine)
    sealed = keys["ivanova"]
    assert sealed is not None
    assert PLAIN_KEY not in sealed
    assert sealer.unseal(sealed) == PLAIN_KEY
    assert keys["petrov"] is None
    with unmigrated_engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM staff_sessions").scalar() == 0


def test_downgrading_from_0014_opens_the_sealed_keys_again(unmigrated_engine: Engine) -> None:
    _at_0013_with_a_plain_key(unmigrated_engine)
    sealer = FernetSecretSealer([MIGRATION_KEY])
    upgrade_database(unmigrated_engine, secret_sealer=sealer)

    with unmigrated_engine.begin() as connection:
        command.downgrade(alembic_config(connection, sealer), "0013")

    assert _staff_keys(unmigrated_engine) == {"ivanova": PLAIN_KEY, "petrov": None}
    assert current_revision(unmigrated_engine) == "0013"


def test_downgrading_from_0014_without_the_sealing_key_fails_and_changes_nothing(
    unmigrated_engine: Engine,
) -> None:
    _at_0013_with_a_plain_key(unmigrated_engine)
    upgrade_database(unmigrated_engine, secret_sealer=FernetSecretSealer([MIGRATION_KEY]))
    sealed = _staff_keys(unmigrated_engine)["ivanova"]

    wrong_key = FernetSecretSealer(["x" * 32])
    with (
        pytest.raises(RuntimeError, match="LK_PREVIOUS_SECRET_KEYS"),
        unmigrated_engine.begin() as connection,
    ):
        command.downgrade(alembic_config(connection, wrong_key), "0013")

    assert current_revision(unmigrated_engine) == NEWEST_REVISION
    assert _staff_keys(unmigrated_engine)["ivanova"] == sealed
