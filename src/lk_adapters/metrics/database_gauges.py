"""Gauges read from the database when Prometheus scrapes, so every host reports the same.

Each gauge is one small function from a connection to its samples (label values and a
value); `GAUGES` lists them, so another gauge is one function and one line. A gauge whose
query fails (a table another part adds later, such as procrastinate's) is left out of
that scrape and the others still answer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from typing import NamedTuple

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import Connection, Engine, func, inspect, select, text

from lk_adapters.sqlalchemy.tables import month_close_progress, outbox_messages
from lk_core.kernel.periods import Period

UNSENT = ("pending", "sending", "failed")
Samples = Iterable[tuple[tuple[str, ...], float]]


class Gauge(NamedTuple):
    name: str
    documentation: str
    labels: tuple[str, ...]
    read: Callable[[Connection, dt.datetime], Samples]


def outbox_messages_unsent(connection: Connection, now: dt.datetime) -> Samples:
    """Messages not sent yet, by status (`failed` ones gave up after every attempt)."""
    status = outbox_messages.c.status
    counts: dict[str, int] = dict(
        connection.execute(
            select(status, func.count()).where(status.in_(UNSENT)).group_by(status)
        ).all()
    )
    return [((name,), counts.get(name, 0)) for name in UNSENT]


def outbox_oldest_unsent_age(connection: Connection, now: dt.datetime) -> Samples:
    """Seconds since the oldest message still waiting to be sent was queued (0: none)."""
    oldest = connection.execute(
        select(func.min(outbox_messages.c.created_at)).where(
            outbox_messages.c.status.in_(("pending", "sending"))
        )
    ).scalar()
    if oldest is None:
        return [((), 0.0)]
    if oldest.tzinfo is None:  # SQLite hands MIN() back as stored: naive UTC
        oldest = dt.datetime.fromisoformat(str(oldest)).replace(tzinfo=dt.UTC)
    return [((), max(0.0, (now - oldest).total_seconds()))]


def _latest_close(connection: Connection) -> tuple[str, int, int] | None:
    table = month_close_progress
    row = connection.execute(
        select(table.c.period, table.c.done, table.c.total)
        .order_by(table.c.updated_at.desc())
        .limit(1)
    ).first()
    return None if row is None else (str(Period.from_code(row.period)), row.done, row.total)


def month_close_receipts_done(connection: Connection, now: dt.datetime) -> Samples:
    """Receipts made so far for the month closed last (or being closed)."""
    latest = _latest_close(connection)
    return [] if latest is None else [((latest[0],), latest[1])]


def month_close_receipts_total(connection: Connection, now: dt.datetime) -> Samples:
    """Accounts whose receipts that month needs."""
    latest = _latest_close(connection)
    return [] if latest is None else [((latest[0],), latest[2])]


def task_queue_jobs(connection: Connection, now: dt.datetime) -> Samples:
    """procrastinate's jobs by queue and status (`todo` is the depth, `failed` the
    failures); nothing while its table does not exist."""
    if not inspect(connection).has_table("procrastinate_jobs"):
        return []
    rows = connection.execute(
        text(
            "SELECT queue_name, CAST(status AS VARCHAR(32)), COUNT(*) "
            "FROM procrastinate_jobs GROUP BY queue_name, status"
        )
    ).all()
    return [((str(queue), str(status)), count) for queue, status, count in rows]


GAUGES = (
    Gauge("lk_outbox_messages", outbox_messages_unsent.__doc__ or "", ("status",),
          outbox_messages_unsent),
    Gauge("lk_outbox_oldest_unsent_age_seconds", outbox_oldest_unsent_age.__doc__ or "", (),
          outbox_oldest_unsent_age),
    Gauge("lk_month_close_receipts_done", month_close_receipts_done.__doc__ or "", ("period",),
          month_close_receipts_done),
    Gauge("lk_month_close_receipts_total", month_close_receipts_total.__doc__ or "",
          ("period",), month_close_receipts_total),
    Gauge("lk_task_queue_jobs", task_queue_jobs.__doc__ or "", ("queue", "status"),
          task_queue_jobs),
)  # fmt: skip


class DatabaseCollector(Collector):
    """Reads every gauge over one connection at scrape time."""

    def __init__(
        self,
        engine: Engine,
        now: Callable[[], dt.datetime],
        gauges: Iterable[Gauge] = GAUGES,
    ) -> None:
        self._engine = engine
        self._now = now
        self._gauges = tuple(gauges)

    def describe(self) -> Iterator[GaugeMetricFamily]:
        return iter(())  # read at scrape time only, never at registration

    def collect(self) -> Iterator[GaugeMetricFamily]:
        now = self._now()
        try:
            connection = self._engine.connect()
        except Exception:  # an unreachable database: /readyz says so; the others still answer
            return
        with connection:
            for gauge in self._gauges:
                family = GaugeMetricFamily(gauge.name, gauge.documentation, labels=gauge.labels)
                try:
                    with connection.begin():
                        for labels, value in gauge.read(connection, now):
                            family.add_metric(list(labels), float(value))
                except Exception:  # noqa: S112 - a gauge that cannot be read is left out
                    continue
                yield family
