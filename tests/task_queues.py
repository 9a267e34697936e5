"""Containers whose task queue is either adapter: in process on SQLite, procrastinate on
PostgreSQL (its jobs then run in a worker of this process, until none is left)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text

from conftest import empty_database_url
from lk_adapters.container import Container, build_container
from lk_adapters.settings import load_settings
from lk_adapters.sqlalchemy.migrations import upgrade_database
from lk_adapters.tasks.procrastinate_app import task_app
from lk_adapters.tasks.procrastinate_queue import ProcrastinateTaskQueue


@contextmanager
def container_over(kind: str, folder: Path) -> Iterator[Container]:
    """A demo-mode container over an empty, migrated database of that kind."""
    with empty_database_url(kind, folder) as url:
        settings = load_settings({"LK_DEMO": "1", "LK_DATABASE_URL": url,
                                  "LK_RECEIPTS_FOLDER": str(folder / "receipts")})  # fmt: skip
        container = build_container(settings)
        upgrade_database(container.engine())
        try:
            yield container
        finally:
            queue = container.task_queue()
            if isinstance(queue, ProcrastinateTaskQueue):
                queue.close()
            container.engine().dispose()


def run_queued_jobs(container: Container) -> None:
    """Run every job waiting in the queue (none on SQLite: tasks ran when enqueued), with
    an application of its own, as a worker process has."""
    if container.task_app() is not None:
        worker = task_app(container.settings().database_url, lambda: container)
        worker.run_worker(wait=False, install_signal_handlers=False, listen_notify=False)


def jobs_of(container: Container, task: str) -> int:
    """How many jobs of that task wait or run."""
    with container.engine().connect() as connection:
        return int(
            connection.execute(
                text("SELECT count(*) FROM procrastinate_jobs WHERE task_name = :task"),
                {"task": task},
            ).scalar_one()
        )
