"""The loading use case (F21): billing files load whole, or not at all.

All files of one load share one transaction: a ledger file may refer to accounts that
an accounts file of the same load brings. The first problem stops the writing but not
the reading, so one run names every bad line (up to a limit) and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from operator import itemgetter
from typing import Any, cast

import attrs

from lk_core.billing_import.fields import RowProblem
from lk_core.billing_import.kinds import FileKind
from lk_core.billing_import.ledger_batches import ledger_batch_reader
from lk_core.billing_import.ports import SourceFile
from lk_core.billing_import.rows import KnownKeys, reader_for
from lk_core.kernel.periods import BillingPeriod, Period
from lk_core.kernel.runtime import ProgressReporter
from lk_core.ledger.lines import LedgerRow
from lk_core.unit_of_work import UnitOfWork, UnitOfWorkFactory

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


def _write(uow: UnitOfWork, kind: FileKind, batch: Sequence[Any]) -> None:
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


def known_keys(uow: UnitOfWork) -> KnownKeys:
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
    uow_factory: UnitOfWorkFactory,
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
            kind = FileKind(source.kind)
            read = reader_for(kind, source.columns, known, tz)
            # The ledger's batch reader may run in another process (ADR 0010), where what
            # it adds to `known` stays. The other readers add keys that later rows and
            # files refer to, so they run here, row by row.
            parse = ledger_batch_reader(source.columns, known) if kind is FileKind.LEDGER else None
            count = 0
            for rows, records in source.batches(BATCH_ROWS, parse):
                if records is None:
                    # Read row by row, a batch names the line and column of each problem.
                    read_rows: list[Any] = []
                    for line, fields in rows:
                        try:
                            read_rows.append(read(fields))
                        except RowProblem as problem:
                            problems.append(
                                ImportProblem(source.name, line, problem.column, problem.reason)
                            )
                            if len(problems) >= MAX_PROBLEMS:
                                uow.rollback()
                                return ImportReport(counts, tuple(problems), truncated=True)
                    records = read_rows
                else:
                    # Only ledger rows are read in bulk, perhaps in another process: the
                    # periods they name are noted here.
                    known.periods_seen.update(map(_PERIOD, cast("Sequence[LedgerRow]", records)))
                count += len(records)
                if not problems:
                    _write(uow, kind, records)
                progress.advance(done_bytes + source.progress()[0], total_bytes)
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
