"""Batches of receipts made in worker processes, one per core (F22).

Each worker builds its own container from the settings (its own database connections,
renderer and store), so nothing but account keys and counts crosses between processes:
memory stays flat whatever the number of accounts. The composition root hands the runner
the function that builds a container, so this module need not import it back.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from lk_adapters.logging import configure_logging
from lk_adapters.portal_unit_of_work import PortalUnitOfWorkFactory
from lk_core.kernel.company import Company
from lk_core.kernel.periods import Period
from lk_core.kernel.runtime import Clock
from lk_core.receipts.month_close import make_receipts
from lk_core.receipts.ports import ReceiptRenderer, ReceiptStore

# A module-level function from settings to a container (spawn pickles it by name).
ContainerBuilder = Callable[[Any], Any]

_worker: dict[str, Any] = {}


def _start_worker(build: ContainerBuilder, settings: object) -> None:
    configure_logging()  # a spawned process starts with none: log as the command does
    _worker["container"] = build(settings)


def _make(job: tuple[Period, list[str]]) -> int:
    container = _worker["container"]
    period, keys = job
    return make_receipts(
        container.uow_factory(), container.clock(), container.company(),
        container.receipt_renderer(), container.receipt_store(), period, keys,
    )  # fmt: skip


def worker_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


class ProcessReceiptRunner:
    """Runs `make_receipts` for each batch in a pool of processes started afresh (spawn)."""

    def __init__(
        self, build: ContainerBuilder, settings: object, workers: int | None = None
    ) -> None:
        self._build = build
        self._settings = settings
        self._workers = workers or worker_count()

    def run(self, period: Period, batches: Iterable[list[str]]) -> Iterator[int]:
        context = multiprocessing.get_context("spawn")
        jobs = ((period, batch) for batch in batches)
        # A batch's count comes back once its receipts are stored; leaving the block
        # terminates and joins every worker, so none outlives the run.
        with context.Pool(self._workers, _start_worker, (self._build, self._settings)) as pool:
            yield from pool.imap_unordered(_make, jobs)


class InlineReceiptRunner:
    """Runs every batch in this process, one after another (tests, one-core machines)."""

    def __init__(
        self,
        uow_factory: PortalUnitOfWorkFactory,
        clock: Clock,
        company: Company,
        renderer: ReceiptRenderer,
        store: ReceiptStore,
    ) -> None:
        self._args = (uow_factory, clock, company, renderer, store)

    def run(self, period: Period, batches: Iterable[list[str]]) -> Iterator[int]:
        uow_factory, clock, company, renderer, store = self._args
        for batch in batches:
            yield make_receipts(uow_factory, clock, company, renderer, store, period, batch)
