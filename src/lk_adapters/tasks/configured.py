"""Which task queue and which month-close runner the configured database gets."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import procrastinate

from lk_adapters.receipts.queued_runner import QueuedReceiptRunner
from lk_adapters.sqlalchemy.engine import database_is_embedded
from lk_adapters.tasks.catalogue import Container
from lk_adapters.tasks.in_process import InProcessTaskQueue
from lk_adapters.tasks.procrastinate_app import task_app
from lk_adapters.tasks.procrastinate_queue import ProcrastinateTaskQueue
from lk_core.kernel.periods import Period
from lk_core.receipts.ports import ReceiptBatchRunner


def configured_task_app(database_url: str, container: Container) -> procrastinate.App | None:
    """The procrastinate application on PostgreSQL; none on SQLite."""
    if database_is_embedded(database_url):
        return None
    return task_app(database_url, lambda: container)


def configured_task_queue(
    app: procrastinate.App | None, container: Container
) -> InProcessTaskQueue | ProcrastinateTaskQueue:
    """Queued for `lk worker` on PostgreSQL; run at once in this process on SQLite."""
    return InProcessTaskQueue(container) if app is None else ProcrastinateTaskQueue(app)


class MonthCloseRunner:
    """Batches to the workers when any is running (PostgreSQL), else to this machine's
    processes as before: a company without `lk worker` still closes its month."""

    def __init__(
        self, queue: InProcessTaskQueue | ProcrastinateTaskQueue, local: ReceiptBatchRunner
    ) -> None:
        self._queue = queue
        self._local = local

    @property
    def queued(self) -> bool:
        """Whether batches go to workers."""
        return queued_elsewhere(self._queue)

    def run(self, period: Period, batches: Iterable[list[str]]) -> Iterator[int]:
        queue = self._queue
        if self.queued and isinstance(queue, ProcrastinateTaskQueue):
            return QueuedReceiptRunner(queue).run(period, batches)
        return self._local.run(period, batches)


def queued_elsewhere(queue: InProcessTaskQueue | ProcrastinateTaskQueue) -> bool:
    """Whether a task handed to this queue runs in an `lk worker` (one is alive), not here."""
    return isinstance(queue, ProcrastinateTaskQueue) and queue.workers_alive() > 0
