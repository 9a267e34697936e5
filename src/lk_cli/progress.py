"""Rich progress displays behind the core's `ProgressReporter` port, one per kind of work.

Every bar is drawn on stderr, and only when stderr is a terminal: stdout keeps the
command's report (which a script may read), and a stderr that is not a terminal carries
the JSON log lines alone. On a terminal, log lines are printed above the bar (ADR 0048).
"""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)
from rich.text import Text


class RichProgress:
    """One task's progress on a rich display; nothing at all when stderr is not a terminal."""

    def __init__(self, description: str, progress: Progress) -> None:
        self._progress = progress
        # The columns show the description as markup (`[bold]{task.description}`).
        self._task = self._progress.add_task(escape(description), total=None)

    def __enter__(self) -> RichProgress:
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


class _Rate(ProgressColumn):
    """Items per second, in the unit named («квит./с», «строк/с»)."""

    def __init__(self, unit: str) -> None:
        super().__init__()
        self._unit = unit

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text("" if speed is None else f"{speed:,.0f} {self._unit}/с".replace(",", " "))


def _on_stderr(*columns: str | ProgressColumn, transient: bool = False) -> Progress:
    """A display on stderr, switched off unless stderr is a terminal (rich would otherwise
    write the last frame there, into the log lines)."""
    console = Console(stderr=True)
    return Progress(*columns, console=console, transient=transient, disable=not console.is_terminal)


def byte_progress(description: str) -> RichProgress:
    """Bytes of a file done, rate and time left (loading files)."""
    return RichProgress(
        description,
        _on_stderr(
            TextColumn("[bold]{task.description}"), BarColumn(), TaskProgressColumn(),
            DownloadColumn(), TransferSpeedColumn(), TimeRemainingColumn(),
        ),
    )  # fmt: skip


def count_progress(description: str, unit: str) -> RichProgress:
    """Items done of all, rate and time left (receipts of a month, lines of a registry)."""
    return RichProgress(
        description,
        _on_stderr(
            TextColumn("[bold]{task.description}"), BarColumn(), TaskProgressColumn(),
            MofNCompleteColumn(), _Rate(unit), TimeRemainingColumn(),
        ),
    )  # fmt: skip


def tally_progress(description: str) -> RichProgress:
    """Items counted so far and the time taken, gone when done: for a job whose total is
    not known ahead (choosing the residents a message goes to)."""
    return RichProgress(
        description,
        _on_stderr(
            SpinnerColumn(), TextColumn("[bold]{task.description}"), MofNCompleteColumn(),
            TimeElapsedColumn(), transient=True,
        ),
    )  # fmt: skip
