"""The loading use case (F21): billing files load whole, or not at all.

All files of one load share one transaction: a ledger file may refer to accounts that
an accounts file of the same load brings. The first problem stops the writing but not
the reading, so one run names every bad line (up to a limit) and changes nothing. A row
whose key an earlier row of its file named is a problem too (repeats.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Sequence
from operator import itemgetter
from typing import Any, cast

import attrs

from lk_core.billing_import.fields import RowProblem
from lk_core.billing_import.kinds import FileKind
from lk_core.billing_import.ledger_batches import ledger_batch_reader
from lk_core.billing_import.pending_readings import PendingReadings
from lk_core.billing_import.ports import BillingImportUnitOfWork, SourceFile
from lk_core.billing_import.repeats import (
    KEY_COLUMNS,
    LINE_NOT_KEPT,
    FirstLines,
    KeysRepeated,
    first_lines,
    key_reader_for,
    repeated,
)
from lk_core.billing_import.rows import KnownKeys, reader_for
from lk_core.kernel.periods import BillingPeriod, Period
from lk_core.kernel.runtime import ProgressReporter
from lk_core.kernel.transaction import UnitOfWorkFactory
from lk_core.ledger.lines import LedgerRow

BATCH_ROWS = 5000
MAX_PROBLEMS = 100
_PERIOD = itemgetter(1)


@attrs.frozen
class ImportProblem:
    """A bad row: which file, line and column, and why."""

    file: str
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}, строка {self.line}, столбец «{self.column}»: {self.reason}"


@attrs.frozen
class ImportReport:
    """What a load did: rows per file, or the problems that stopped it."""

    rows: dict[str, int]
    problems: tuple[ImportProblem, ...]
    truncated: bool = False

    @property
    def loaded(self) -> bool:
        return not self.problems


def _write(uow: BillingImportUnitOfWork, kind: FileKind, batch: Sequence[Any]) -> None:
    if kind is FileKind.HOUSES:
        uow.houses.upsert_many(batch)
    elif kind is FileKind.SERVICES:
        uow.services.upsert_many(batch)
    elif kind is FileKind.ACCOUNTS:
        uow.accounts.upsert_from_billing(batch)
    elif kind is FileKind.METERS:
        uow.meters.upsert_many(batch)
    elif kind is FileKind.LEDGER:
        uow.ledger.upsert_rows(batch)
    elif kind is FileKind.PAYMENTS:
        uow.payments.add_many(batch)
    else:
        uow.readings.upsert_many(batch)


def known_keys(uow: BillingImportUnitOfWork) -> KnownKeys:
    periods = uow.periods.list()
    return KnownKeys(
        houses=uow.houses.codes(),
        services={s.code for s in uow.services.list()},
        accounts=uow.accounts.keys(),
        meters=uow.meters.ids(),
        closed_periods={p.period.code for p in periods if p.is_closed},
        periods_seen=set(),
    )


def load_billing_files(
    uow_factory: UnitOfWorkFactory[BillingImportUnitOfWork],
    files: Sequence[SourceFile],
    *,
    tz: dt.tzinfo,
    progress: ProgressReporter,
) -> ImportReport:
    """Load the files in dependency order within one transaction."""
    ordered = sorted(files, key=lambda f: FileKind(f.kind).order)
    total_bytes = sum(f.progress()[1] for f in ordered)
    done_bytes = 0
    problems: list[ImportProblem] = []
    counts: dict[str, int] = {}
    with uow_factory() as uow:
        known = known_keys(uow)
        for source in ordered:

            def advance(done: int, before: int = done_bytes) -> None:
                progress.advance(before + done, total_bytes)

            earlier = len(problems)
            try:
                count = _FileLoad(uow, source, known, tz, problems, in_bulk=True).run(advance)
            except KeysRepeated:
                # The bulk ledger reader met a key twice: read the file again row by row,
                # which names every line that repeats a key and the line it repeats.
                del problems[earlier:]
                count = _FileLoad(uow, source, known, tz, problems, in_bulk=False).run(advance)
            if len(problems) >= MAX_PROBLEMS:
                uow.rollback()
                return ImportReport(counts, tuple(problems[:MAX_PROBLEMS]), truncated=True)
            done_bytes += source.progress()[1]
            progress.advance(done_bytes, total_bytes)
            counts[source.name] = count
        if problems:
            uow.rollback()
            return ImportReport(counts, tuple(problems))
        known_periods = {p.period.code for p in uow.periods.list()}
        for code in sorted(known.periods_seen - known_periods):
            uow.periods.save(BillingPeriod(Period.from_code(code)))
        uow.commit()
    return ImportReport(counts, ())


class _FileLoad:
    """One file read into the load: its readers, the keys its rows named, its problems."""

    def __init__(
        self,
        uow: BillingImportUnitOfWork,
        source: SourceFile,
        known: KnownKeys,
        tz: dt.tzinfo,
        problems: list[ImportProblem],
        *,
        in_bulk: bool,
    ) -> None:
        self.uow, self.source, self.known, self.problems = uow, source, known, problems
        self.kind = FileKind(source.kind)
        self.read = reader_for(self.kind, source.columns, known, tz)
        self.key_of = key_reader_for(self.kind, source.columns, known)
        # The ledger's batch reader may run in another process (ADR 0010), where what it
        # adds to `known` stays; it notes the keys of every row itself. The other readers
        # add keys that later rows and files refer to, so they run here, row by row.
        bulk = in_bulk and self.kind is FileKind.LEDGER
        self.parse = ledger_batch_reader(source.columns, known) if bulk else None
        self.first_lines = None if bulk else FirstLines(self.kind)
        # Ledger keys met again, whose first line is looked up once the file is read.
        self.repeats_to_place: list[tuple[Hashable, int]] = []
        self.pending = PendingReadings() if self.kind is FileKind.READINGS else None

    @property
    def full(self) -> bool:
        return len(self.problems) + len(self.repeats_to_place) >= MAX_PROBLEMS

    def run(self, advance: Callable[[int], None]) -> int:
        """Read the file, writing its records while the load has no problem, and adding
        each problem to `problems` (up to `MAX_PROBLEMS`); the number of rows read."""
        earlier = len(self.problems)
        count = 0
        for rows, records in self.source.batches(BATCH_ROWS, self.parse):
            if records is None:
                records = self._rows(rows)
            else:
                # Only ledger rows are read in bulk, perhaps in another process: the
                # periods they name are noted here.
                periods = map(_PERIOD, cast("Sequence[LedgerRow]", records))
                self.known.periods_seen.update(periods)
            count += len(records)
            if not self.problems and not self.repeats_to_place:
                _write(self.uow, self.kind, records)
            advance(self.source.progress()[0])
            if self.full:
                break
        if self.repeats_to_place:
            keys = {key for key, _line in self.repeats_to_place}
            found = first_lines(self.source.rows(), self.key_of, keys)
            self.problems.extend(
                self._repeat(line, key, found.get(key)) for key, line in self.repeats_to_place
            )
        self.problems[earlier:] = sorted(self.problems[earlier:], key=lambda p: p.line)
        return count

    def _rows(self, rows: list[tuple[int, list[str]]]) -> list[Any]:
        """Read row by row: a batch names the line and column of each problem."""
        records: list[tuple[int, Any]] = []
        for line, fields in rows:
            key, first = None, None
            if self.first_lines is not None and (key := self.key_of(fields)) is not None:
                first = self.first_lines.note(key, line)
            try:
                record = self.read(fields)
            except RowProblem as problem:
                self._problem(line, problem.column, problem.reason)
            else:
                if first is None:
                    records.append((line, record))
                elif first == LINE_NOT_KEPT:
                    self.repeats_to_place.append((key, line))
                else:
                    self.problems.append(self._repeat(line, key, first))
            if self.full:
                break
        if self.pending is not None and self.first_lines is not None:
            clashes = dict(self.pending.clashes(self.uow, records, self.first_lines.__contains__))
            for line, reason in clashes.items():
                self._problem(line, "status", reason)
            records = [(line, record) for line, record in records if line not in clashes]
        return [record for _line, record in records]

    def _problem(self, line: int, column: str, reason: str) -> None:
        self.problems.append(ImportProblem(self.source.name, line, column, reason))

    def _repeat(self, line: int, key: Hashable, first_line: int | None) -> ImportProblem:
        reason = repeated(self.kind, key, first_line)
        return ImportProblem(self.source.name, line, KEY_COLUMNS[self.kind], reason)
