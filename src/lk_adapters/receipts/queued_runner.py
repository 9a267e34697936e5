"""Batches of receipts made by `lk worker` processes on any host, followed until done.

Each batch is a job; the runner defers them all, then reports each batch as its job
finishes (a worker deletes a job that succeeded). A worker killed mid-batch leaves its job
"doing" until the stalled-job sweep hands it to another worker, which makes the batch again:
a receipt is stored whole or not at all and every e-mail has a dedupe key (ADR 0021).

The command that defers them may itself be killed: its jobs carry on in the workers. A
rerun follows those still waiting or running instead of deferring their accounts again.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator

from lk_adapters.tasks.catalogue import MAKE_RECEIPTS
from lk_adapters.tasks.procrastinate_queue import ProcrastinateTaskQueue
from lk_core.kernel.errors import DomainError
from lk_core.kernel.periods import Period

POLL_SECONDS = 0.25

_STATUSES = "SELECT id, status::text AS status FROM procrastinate_jobs WHERE id = ANY(%(ids)s)"
_UNFINISHED = (
    "SELECT id, args->'keys' AS keys FROM procrastinate_jobs "
    "WHERE task_name = %(task)s AND status IN ('todo', 'doing') AND args->>'period' = %(period)s"
)


class ReceiptBatchFailed(DomainError):
    """A batch failed in every attempt a worker made."""

    def __init__(self, period: Period, accounts: int) -> None:
        super().__init__(
            f"Квитанции за {period.label_ru} сделаны не для всех счетов: пакет на "
            f"{accounts} сч. не удался (см. журнал lk worker). Запустите закрытие повторно."
        )


class QueuedReceiptRunner:
    """Defers each batch as a job for the workers and yields its size once it is done."""

    def __init__(self, queue: ProcrastinateTaskQueue, poll: float = POLL_SECONDS) -> None:
        self._queue = queue
        self._poll = poll

    def run(self, period: Period, batches: Iterable[list[str]]) -> Iterator[int]:
        connector = self._queue.app.connector.get_sync_connector()
        todo = list(batches)
        wanted = {key for batch in todo for key in batch}
        # Batches an earlier, interrupted run deferred: followed, counted for the accounts
        # still without a receipt, and not deferred again.
        unfinished = connector.execute_query_all(
            _UNFINISHED, task=MAKE_RECEIPTS, period=str(period)
        )
        pending = {row["id"]: len(wanted.intersection(row["keys"])) for row in unfinished}
        queued = {key for row in unfinished for key in row["keys"]}
        for batch in todo:
            rest = [key for key in batch if key not in queued]
            if rest:
                pending[self._queue.defer(MAKE_RECEIPTS, period=str(period), keys=rest)] = len(rest)
        while pending:
            rows = connector.execute_query_all(_STATUSES, ids=list(pending))
            statuses = {row["id"]: row["status"] for row in rows}
            for job_id in list(pending):
                status = statuses.get(job_id, "succeeded")  # gone: deleted on success
                if status == "succeeded":
                    yield pending.pop(job_id)
                elif status in ("failed", "cancelled", "aborted"):
                    raise ReceiptBatchFailed(period, pending[job_id])
            if pending:
                time.sleep(self._poll)
