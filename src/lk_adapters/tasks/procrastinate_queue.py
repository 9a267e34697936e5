"""Tasks deferred as procrastinate jobs, for `lk worker` processes on any host to run."""

from __future__ import annotations

import threading
from typing import cast

import procrastinate
from procrastinate.types import JSONValue

from lk_adapters.tasks.catalogue import task_function
from lk_adapters.tasks.procrastinate_app import STALLED_AFTER_SECONDS
from lk_core.kernel.tasks import TaskArgument

_LIVE_WORKERS = (
    "SELECT count(*) AS n FROM procrastinate_workers "
    "WHERE last_heartbeat > now() - make_interval(secs => %(seconds)s)"
)


class ProcrastinateTaskQueue:
    """Defers each task as a job in the database; a worker runs it (ADR 0057)."""

    def __init__(self, app: procrastinate.App) -> None:
        self._app = app
        self._opened = False
        self._lock = threading.Lock()

    @property
    def app(self) -> procrastinate.App:
        """The application, opened for deferring on first use."""
        with self._lock:
            if not self._opened:
                self._app.open()
                self._opened = True
        return self._app

    def enqueue(self, task: str, **args: TaskArgument) -> None:
        task_function(task)  # an unknown name fails here, not in a worker later
        self.defer(task, **args)

    def defer(self, task: str, **args: TaskArgument) -> int:
        """Defer a job and return its id (to follow it)."""
        arguments = cast("dict[str, JSONValue]", args)  # every TaskArgument is JSON
        return self.app.configure_task(task, allow_unknown=False).defer(**arguments)

    def workers_alive(self, within: float = STALLED_AFTER_SECONDS) -> int:
        """How many `lk worker` processes sent a heartbeat within `within` seconds."""
        connector = self.app.connector.get_sync_connector()
        row = connector.execute_query_one(_LIVE_WORKERS, seconds=within)
        return int(row["n"])

    def close(self) -> None:
        with self._lock:
            if self._opened:
                self._app.close()
                self._opened = False
