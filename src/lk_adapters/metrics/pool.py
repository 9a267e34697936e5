"""The database connection pool's use, counted by SQLAlchemy's pool events (ADR 0056).

A gauge that every web process moves up on checkout and down on checkin; in multiprocess
mode Prometheus is given the sum over the live processes.
"""

from __future__ import annotations

from typing import Any

from prometheus_client import Gauge
from sqlalchemy import Engine, event

CONNECTIONS_IN_USE = Gauge(
    "lk_db_pool_connections_in_use",
    "Database connections checked out of the pool, over every live web process.",
    multiprocess_mode="livesum",
)


def watch_pool(engine: Engine) -> None:
    """Keep `lk_db_pool_connections_in_use` up to date for this engine's pool."""

    def checked_out(*_: Any) -> None:
        CONNECTIONS_IN_USE.inc()

    def checked_in(*_: Any) -> None:
        CONNECTIONS_IN_USE.dec()

    event.listen(engine, "checkout", checked_out)  # the engine: its pools, even recreated
    event.listen(engine, "checkin", checked_in)
