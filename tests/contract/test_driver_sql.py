"""Statements on the driver's cursor read and write what SQLAlchemy Core reads and writes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select

from conftest import SQL_DATABASES, empty_database
from lk_adapters.sqlalchemy.driver_sql import DriverSql, decimal_value, utc_param, utc_value
from lk_adapters.sqlalchemy.migrations import upgrade_database
from lk_adapters.sqlalchemy.tables import accounts, sessions

MOSCOW = dt.timezone(dt.timedelta(hours=3))


@pytest.fixture(scope="module", params=SQL_DATABASES)
def engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    with empty_database(request.param, tmp_path_factory.mktemp("driver")) as engine:
        upgrade_database(engine)
        yield engine


# Naive bounds are what hypothesis asks for; the times drawn are Moscow's.
moments = st.datetimes(
    min_value=dt.datetime(2000, 1, 1),  # noqa: DTZ001
    max_value=dt.datetime(2100, 1, 1),  # noqa: DTZ001
    timezones=st.just(MOSCOW),
)


@settings(max_examples=25, deadline=None)
@given(written=moments, probe=moments)
def test_a_time_written_on_the_driver_compares_in_core_as_a_time_core_wrote(
    engine: Engine, written: dt.datetime, probe: dt.datetime
) -> None:
    insert = DriverSql(
        "INSERT INTO sessions (id_hash, created_at, last_seen_at) VALUES (:id, :at, :at)"
    )
    with engine.connect() as connection:
        insert.run(connection, {"id": "x", "at": utc_param(connection, written)})
        before = select(sessions.c.id_hash).where(sessions.c.last_seen_at < probe)
        earlier = connection.execute(before).scalars().all()
        read_back = connection.execute(select(sessions.c.last_seen_at)).scalar_one()
        connection.rollback()

    assert earlier == (["x"] if written < probe else [])
    assert read_back == written


def test_a_time_core_wrote_is_read_on_the_driver_as_the_same_aware_utc_time(
    engine: Engine,
) -> None:
    at = dt.datetime(2026, 12, 3, 19, 5, 0, tzinfo=MOSCOW)  # whole seconds: no fraction stored
    with engine.connect() as connection:
        connection.execute(sessions.insert().values(id_hash="y", created_at=at, last_seen_at=at))
        (stored,) = DriverSql("SELECT created_at FROM sessions").first(connection, {}) or ()
        connection.rollback()

    assert utc_value(stored) == at
    assert utc_value(stored).tzinfo == dt.UTC


def test_an_exact_number_is_read_on_the_driver_as_core_reads_it(engine: Engine) -> None:
    with engine.connect() as connection:
        connection.exec_driver_sql(
            "INSERT INTO houses (code, address, total_area) VALUES ('1', 'a', 1)"
        )
        connection.execute(
            accounts.insert().values(
                key="100234", house_code="1", payer_name="Иванов", flat="1", rooms=2,
                area=Decimal("54.30"), residents=1,
            )
        )  # fmt: skip
        (stored,) = DriverSql("SELECT area FROM accounts").first(connection, {}) or ()
        connection.rollback()

    assert decimal_value(stored) == Decimal("54.3")
    assert str(decimal_value(stored)) == "54.3"


def test_parameters_are_named_alike_for_both_drivers_and_percent_signs_stay_text(
    engine: Engine,
) -> None:
    query = DriverSql("SELECT '100%' || :suffix, :n + 1")
    with engine.connect() as connection:
        row = query.first(connection, {"suffix": " сразу", "n": 41})

    assert row == ("100% сразу", 42)


def test_a_statement_after_a_commit_begins_a_new_transaction_that_a_rollback_undoes(
    engine: Engine,
) -> None:
    insert = DriverSql(
        "INSERT INTO sessions (id_hash, created_at, last_seen_at) VALUES (:id, :at, :at)"
    )
    count = DriverSql("SELECT count(*) FROM sessions WHERE id_hash LIKE 'z%'")
    with engine.connect() as connection:
        now = utc_param(connection, dt.datetime(2026, 12, 3, tzinfo=dt.UTC))
        connection.begin()
        insert.run(connection, {"id": "z1", "at": now})
        connection.commit()
        insert.run(connection, {"id": "z2", "at": now})
        connection.rollback()
        kept = count.first(connection, {})
        connection.execute(sessions.delete())
        connection.commit()

    assert kept == (1,)
