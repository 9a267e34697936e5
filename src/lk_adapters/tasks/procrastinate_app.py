"""The procrastinate application: our tasks, their retries and the periodic ones (ADR 0057).

One application serves both sides. `lk worker` runs it with the container the tasks run
in; `lk period close`, the web and the other commands only defer jobs through it. Its
tables live in the database's own schema (migration 0008), found through `search_path`
like ours, so a connection URL that sets `options=-csearch_path=…` works unchanged.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import procrastinate
from procrastinate import PsycopgConnector, RetryStrategy
from sqlalchemy.engine import make_url

from lk_adapters.tasks.catalogue import (
    DELIVER_OUTBOX,
    MAKE_RECEIPTS,
    PURGE_EXPIRED,
    TASKS,
    VERIFY_PAYMENTS,
    Container,
    TaskFunction,
)

ContainerSource = Callable[[], Container]

# A worker killed mid-task leaves its job "doing"; once its heartbeat is this old the job is
# handed to another worker. Its heartbeat is sent three times within the delay.
STALLED_AFTER_SECONDS = 30.0

# Every task is safe to repeat, so a failure is retried: a batch of receipts whose
# database went away for a minute is made again rather than left for a rerun.
RETRY = RetryStrategy(max_attempts=5, exponential_wait=2)

# The wake-ups that the database defers itself (triggers of migration 0008) may be lost to
# nothing worse than delay: these sweeps pick up what is due without one, and what a retry
# scheduled for later (an outbox message backing off, a provider asked again in 10 s).
PERIODIC = {
    DELIVER_OUTBOX: "* * * * *",
    VERIFY_PAYMENTS: "* * * * * */10",
    PURGE_EXPIRED: "0 * * * *",
}
RETRY_STALLED = "tasks.retry_stalled"
RETRY_STALLED_CRON = "* * * * * */5"


def conninfo(database_url: str) -> str:
    """libpq's form of a `postgresql://` URL (no SQLAlchemy driver name), options kept."""
    url = make_url(database_url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def task_app(
    database_url: str,
    container: ContainerSource,
    stalled_after: float = STALLED_AFTER_SECONDS,
) -> procrastinate.App:
    """The application over that database; tasks it runs take `container()`."""
    app = procrastinate.App(
        connector=PsycopgConnector(conninfo=conninfo(database_url)),
        worker_defaults={
            "update_heartbeat_interval": stalled_after / 3,
            "stalled_worker_timeout": stalled_after,
            # Finished jobs are not history we need (the outbox and the receipts are):
            # without this, the sweeps alone would leave 20,000 rows a day.
            "delete_jobs": "successful",
        },
    )
    for name, function in TASKS.items():
        app.task(name=name, retry=RETRY)(_bound(function, container))
    for name, cron in PERIODIC.items():
        sweep = app.task(name=f"periodic.{name}", queueing_lock=f"periodic.{name}")(
            _periodic(TASKS[name], container)
        )
        app.periodic(cron=cron)(sweep)

    @app.periodic(cron=RETRY_STALLED_CRON)
    @app.task(name=RETRY_STALLED, queueing_lock=RETRY_STALLED)
    async def retry_stalled(timestamp: int) -> int:
        """Hand the jobs of workers gone silent (killed, frozen) to the living ones."""
        stalled = await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=stalled_after)
        jobs = [job for job in stalled if job.task_name != RETRY_STALLED]
        for job in jobs:
            await app.job_manager.retry_job(job)
        return len(jobs)

    return app


def _bound(function: TaskFunction, container: ContainerSource) -> Callable[..., object]:
    @functools.wraps(function)
    def run(**args: object) -> object:
        return function(container(), **args)

    return run


def _periodic(function: TaskFunction, container: ContainerSource) -> Callable[[int], object]:
    @functools.wraps(function)
    def run(timestamp: int) -> object:
        return function(container())

    return run


__all__ = ["MAKE_RECEIPTS", "conninfo", "task_app"]
