"""`lk worker`'s periodic tasks: the hourly purge, the sweeps that find what no wake-up
announced, and the hand-over of a silent worker's jobs (ADR 0057)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from lk_adapters.container import Container
from lk_adapters.tasks.procrastinate_queue import ProcrastinateTaskQueue
from task_queues import container_over, run_queued_jobs

pytestmark = pytest.mark.postgres


@pytest.fixture
def container(tmp_path: Path) -> Iterator[Container]:
    with container_over("postgres", tmp_path) as container:
        yield container


def schedules(container: Container) -> dict[str, str]:
    app = container.task_app()
    assert app is not None
    return {p.task.name: p.cron for p in app.periodic_registry.periodic_tasks.values()}


def test_the_purge_runs_every_hour_and_the_sweeps_every_minute_or_ten_seconds(
    container: Container,
) -> None:
    assert schedules(container) == {
        "periodic.db.purge": "0 * * * *",
        "periodic.outbox.deliver": "* * * * *",
        "periodic.payments.verify": "* * * * * */10",
        "tasks.retry_stalled": "* * * * * */5",
    }


def test_the_periodic_purge_forgets_old_throttle_windows(container: Container) -> None:
    old = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(days=30)
    with container.uow_factory()() as uow:
        uow.rate_counters.hit("sign-in:old", old)
        uow.commit()
    queue = container.task_queue()
    assert isinstance(queue, ProcrastinateTaskQueue)

    queue.app.configure_task("periodic.db.purge").defer(timestamp=0)  # as the scheduler does
    run_queued_jobs(container)

    with container.uow_factory()(read_only=True) as uow:
        assert uow.rate_counters.counts([("sign-in:old", old)]) == [0]
