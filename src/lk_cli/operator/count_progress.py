"""A rich progress display counting accounts, behind the core's `ProgressReporter`."""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.progress import MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn


class RichCountProgress:
    """Accounts done so far and time taken, on stderr; silent when that is not a terminal."""

    def __init__(self, description: str) -> None:
        self._progress = Progress(
            SpinnerColumn(),
            TextColumn("[bold]{task.description}"),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self._task = self._progress.add_task(description, total=None)

    def __enter__(self) -> RichCountProgress:
        self._progress.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._progress.stop()

    def advance(self, done: int, total: int | None) -> None:
        self._progress.update(self._task, completed=done, total=total)
