"""The metrics read from the database at scrape time (ADR 0056), on SQLite and PostgreSQL:
the outbox's depth and age, month close's progress, and procrastinate's jobs when its
table exists; an unreachable database leaves the gauges out instead of failing a scrape."""

from __future__ import annotations

import datetime as dt

import pytest
from prometheus_client import CollectorRegistry
from sqlalchemy import Engine, text

from lk_adapters.metrics.database_gauges import DatabaseCollector
from lk_adapters.sqlalchemy.engine import make_engine
from lk_adapters.sqlalchemy.migrations import upgrade_database
from lk_adapters.sqlalchemy.month_close_progress import RecordedProgress
from lk_adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWorkFactory
from lk_core.kernel.periods import Period
from lk_core.kernel.runtime import no_progress
from lk_core.messaging.messages import SmsMessage
from lk_core.messaging.outbox import queue_sms

NOW = dt.datetime(2026, 11, 5, 12, 0, tzinfo=dt.UTC)


class FixedClock:
    def __init__(self, now: dt.datetime) -> None:
        self.moment = now

    def now(self) -> dt.datetime:
        return self.moment


@pytest.fixture
def engine(unmigrated_engine: Engine) -> Engine:
    upgrade_database(unmigrated_engine)
    return unmigrated_engine


def scrape(engine: Engine) -> CollectorRegistry:
    registry = CollectorRegistry()
    registry.register(DatabaseCollector(engine, lambda: NOW))
    return registry


def queue(engine: Engine, queued_at: dt.datetime, *, sent: bool = False) -> None:
    with SqlAlchemyUnitOfWorkFactory(engine)() as uow:
        message = queue_sms(SmsMessage("+79161234567", "Код: 1234"), queued_at)
        uow.outbox.add(message)
        if sent:
            uow.outbox.mark_sent(message.id, queued_at)
        uow.commit()


def test_an_empty_outbox_has_no_depth_and_no_age(engine: Engine) -> None:
    metrics = scrape(engine)

    assert metrics.get_sample_value("lk_outbox_messages", {"status": "pending"}) == 0
    assert metrics.get_sample_value("lk_outbox_oldest_unsent_age_seconds") == 0


def test_the_outbox_depth_counts_unsent_messages_and_the_age_is_the_oldest_ones(
    engine: Engine,
) -> None:
    queue(engine, NOW - dt.timedelta(hours=5), sent=True)  # sent: neither counted nor aged
    queue(engine, NOW - dt.timedelta(minutes=3))
    queue(engine, NOW - dt.timedelta(seconds=30))

    metrics = scrape(engine)

    assert metrics.get_sample_value("lk_outbox_messages", {"status": "pending"}) == 2
    assert metrics.get_sample_value("lk_outbox_messages", {"status": "failed"}) == 0
    assert metrics.get_sample_value("lk_outbox_oldest_unsent_age_seconds") == 180


def test_month_close_progress_is_the_latest_month_being_closed(engine: Engine) -> None:
    clock = FixedClock(NOW)
    RecordedProgress(engine, clock, Period(2026, 9), no_progress()).advance(500, 500)
    clock.moment = NOW + dt.timedelta(minutes=1)
    october = RecordedProgress(engine, clock, Period(2026, 10), no_progress())
    october.advance(0, 1200)
    october.advance(300, 1200)  # within the second: not written yet

    metrics = scrape(engine)

    assert metrics.get_sample_value("lk_month_close_receipts_total", {"period": "2026-10"}) == 1200
    assert metrics.get_sample_value("lk_month_close_receipts_done", {"period": "2026-10"}) == 0
    assert metrics.get_sample_value("lk_month_close_receipts_done", {"period": "2026-09"}) is None
    october.advance(1200, 1200)  # the last count is always written
    assert (
        scrape(engine).get_sample_value("lk_month_close_receipts_done", {"period": "2026-10"})
        == 1200
    )


def test_without_procrastinates_table_there_is_no_task_queue_gauge_and_the_rest_answer(
    engine: Engine,
) -> None:
    # On SQLite there is no task queue (ADR 0057); on PostgreSQL the migrations make it.
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("ALTER TABLE procrastinate_jobs RENAME TO jobs_elsewhere"))

    metrics = scrape(engine)

    assert not [s for m in metrics.collect() if m.name == "lk_task_queue_jobs" for s in m.samples]
    assert metrics.get_sample_value("lk_outbox_oldest_unsent_age_seconds") == 0


def test_procrastinates_jobs_are_counted_by_queue_and_status(engine: Engine) -> None:
    with engine.begin() as connection:
        if engine.dialect.name != "postgresql":  # the task queue's table, as on PostgreSQL
            connection.execute(
                text("CREATE TABLE procrastinate_jobs (id INTEGER PRIMARY KEY, "
                     "queue_name VARCHAR(128), task_name VARCHAR(128), status VARCHAR(32))")
            )  # fmt: skip
        connection.execute(
            text("INSERT INTO procrastinate_jobs (queue_name, task_name, status) VALUES "
                 "('outbox', 't', 'todo'), ('outbox', 't', 'todo'), ('receipts', 't', 'failed'), "
                 "('outbox', 't', 'succeeded')")
        )  # fmt: skip

    metrics = scrape(engine)

    jobs = "lk_task_queue_jobs"
    assert metrics.get_sample_value(jobs, {"queue": "outbox", "status": "todo"}) == 2
    assert metrics.get_sample_value(jobs, {"queue": "receipts", "status": "failed"}) == 1
    assert metrics.get_sample_value(jobs, {"queue": "outbox", "status": "succeeded"}) == 1


def test_an_unreachable_database_leaves_the_gauges_out_of_the_scrape() -> None:
    engine = make_engine("postgresql://lk@127.0.0.1:1/lk?connect_timeout=2")
    try:
        metrics = scrape(engine)

        assert list(metrics.collect()) == []
    finally:
        engine.dispose()
