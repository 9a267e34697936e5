"""Tasks run at once in the calling process: the embedded (SQLite) way, no worker needed."""

from __future__ import annotations

from lk_adapters.tasks.catalogue import Container, task_function
from lk_core.kernel.tasks import TaskArgument


class InProcessTaskQueue:
    """Runs each task when it is enqueued, in the caller's thread, before returning."""

    def __init__(self, container: Container) -> None:
        self._container = container

    def enqueue(self, task: str, **args: TaskArgument) -> None:
        task_function(task)(self._container, **args)
