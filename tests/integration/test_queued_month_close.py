"""Month-close batches as jobs (PostgreSQL): followed until done, and a rerun after the
command was killed follows the batches it left queued instead of queueing them again."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from lk_adapters.container import Container
from lk_adapters.receipts.queued_runner import QueuedReceiptRunner
from lk_adapters.tasks.catalogue import MAKE_RECEIPTS
from lk_adapters.tasks.procrastinate_queue import ProcrastinateTaskQueue
from lk_core.kernel.periods import Period
from task_queues import container_over, run_queued_jobs

pytestmark = pytest.mark.postgres
PERIOD = Period(2026, 10)


@pytest.fixture
def queue(tmp_path: Path) -> Iterator[tuple[Container, ProcrastinateTaskQueue]]:
    with container_over("postgres", tmp_path) as container:
        queue = container.task_queue()
        assert isinstance(queue, ProcrastinateTaskQueue)
        yield container, queue


def waiting_batches(container: Container) -> list[list[str]]:
    with container.engine().connect() as connection:
        rows = connection.execute(
            text("SELECT args->'keys' FROM procrastinate_jobs WHERE task_name = :t ORDER BY id"),
            {"t": MAKE_RECEIPTS},
        ).scalars()
        return [list(keys) for keys in rows]


def test_a_rerun_follows_the_batches_a_killed_run_left_and_queues_only_the_rest(
    queue: tuple[Container, ProcrastinateTaskQueue],
) -> None:
    container, tasks = queue
    tasks.defer(MAKE_RECEIPTS, period=str(PERIOD), keys=["100001", "100002"])  # left behind
    runner = QueuedReceiptRunner(tasks, poll=0.05)
    counts: list[int] = []
    following = threading.Thread(
        target=lambda: counts.extend(runner.run(PERIOD, [["100001", "100002", "100003"]]))
    )

    following.start()
    while len(waiting_batches(container)) < 2 and following.is_alive():
        following.join(0.05)
    batches = waiting_batches(container)
    run_queued_jobs(container)  # accounts without ledger lines: nothing to render, but done
    following.join(10)

    assert batches == [["100001", "100002"], ["100003"]]
    assert sorted(counts) == [1, 2]
    assert not following.is_alive()
