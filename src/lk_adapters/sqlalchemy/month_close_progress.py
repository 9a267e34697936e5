"""Month close's progress, kept in the database for the metrics of every host (ADR 0056)."""

from __future__ import annotations

import time

from sqlalchemy import Engine, insert, update
from sqlalchemy.exc import IntegrityError

from lk_adapters.sqlalchemy.tables import month_close_progress
from lk_core.kernel.periods import Period
from lk_core.kernel.runtime import Clock, ProgressReporter

EVERY_SECONDS = 1.0


class RecordedProgress:
    """Passes progress on to another reporter (a bar) and writes it to the database: at
    most once a second, and always when the count is complete."""

    def __init__(
        self, engine: Engine, clock: Clock, period: Period, shown: ProgressReporter
    ) -> None:
        self._engine = engine
        self._clock = clock
        self._period = period
        self._shown = shown
        self._written_at = float("-inf")

    def advance(self, done: int, total: int | None) -> None:
        self._shown.advance(done, total)
        if total is None:
            return
        now = time.monotonic()
        if done < total and now - self._written_at < EVERY_SECONDS:
            return
        self._written_at = now
        self._write(done, total)

    def _write(self, done: int, total: int) -> None:
        values = {"done": done, "total": total, "updated_at": self._clock.now()}
        row = month_close_progress.c.period == self._period.code
        with self._engine.begin() as connection:
            if connection.execute(update(month_close_progress).where(row).values(values)).rowcount:
                return
        try:
            with self._engine.begin() as connection:
                connection.execute(
                    insert(month_close_progress).values(period=self._period.code, **values)
                )
        except IntegrityError:  # another closer of the same month wrote it first
            with self._engine.begin() as connection:
                connection.execute(update(month_close_progress).where(row).values(values))
