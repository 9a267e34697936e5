"""Background work handed over by name: run here and now, or queued for workers."""

from __future__ import annotations

from typing import Protocol

# What a task's arguments may be: they cross processes as JSON.
TaskArgument = str | int | bool | None | list[str]


class TaskQueue(Protocol):
    """Has a named task run with JSON arguments, in this process or in a worker.

    A task may run more than once (a worker killed mid-task is retried), so every task
    must be safe to repeat: each one finishes what is undone and skips what is done.
    """

    def enqueue(self, task: str, **args: TaskArgument) -> None:
        """Have `task` run with `args`; an unknown task name is an error."""
        ...
