"""Time and progress: what long jobs and use cases ask of their surroundings."""

from __future__ import annotations

import datetime as dt
from typing import Protocol


class Clock(Protocol):
    """The current time; use cases never read the system clock themselves."""

    def now(self) -> dt.datetime:
        """An aware datetime in UTC."""
        ...


class ProgressReporter(Protocol):
    """Where a long job tells how far it got (a progress bar, a log, nothing)."""

    def advance(self, done: int, total: int | None) -> None:
        """`done` units of `total` are finished."""
        ...


def no_progress() -> ProgressReporter:
    """A reporter that reports nowhere."""

    class _Silent:
        def advance(self, done: int, total: int | None) -> None:
            return None

    return _Silent()
