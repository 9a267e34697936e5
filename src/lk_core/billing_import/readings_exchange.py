"""Readings exchanged with the billing system (F23).

Export: the readings residents submitted for a period that still wait for billing,
streamed from storage. Import of results: billing says of each exported reading whether
it was calculated or rejected (with its reason), and sends the readings it took itself
(operators, inspectors, by average or by norm). The results load whole or not at all,
and loading the same file again changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import attrs

from lk_core.billing_import.fields import RowProblem
from lk_core.billing_import.kinds import FileKind
from lk_core.billing_import.loader import MAX_PROBLEMS, ImportProblem, known_keys
from lk_core.billing_import.ports import BillingImportUnitOfWork, SourceFile
from lk_core.billing_import.rows import reader_for
from lk_core.kernel.periods import BillingPeriod, Period
from lk_core.kernel.runtime import ProgressReporter
from lk_core.kernel.transaction import UnitOfWorkFactory
from lk_core.readings.reading import EntryStatus, Reading, ReadingSource


def pending_readings(
    uow_factory: UnitOfWorkFactory[BillingImportUnitOfWork], period: Period
) -> Iterator[Reading]:
    """The period's readings waiting for billing, one at a time (constant memory)."""
    with uow_factory(read_only=True) as uow:
        yield from uow.readings.pending_in(period)


MAX_PAGE = 1000


@attrs.frozen
class PendingReadingsPage:
    """One page of billing's export: readings in id order, and the id the next page starts
    after (None when this page is the last)."""

    readings: tuple[Reading, ...]
    next_after: str | None


def pending_readings_page(
    uow_factory: UnitOfWorkFactory[BillingImportUnitOfWork],
    period: Period,
    after_id: str,
    limit: int,
) -> PendingReadingsPage:
    """At most `limit` (1 to MAX_PAGE) of the period's readings waiting for billing, after
    `after_id` ("" for the first page): the same readings `pending_readings` streams, for
    a caller that asks page by page over HTTP."""
    limit = max(1, min(limit, MAX_PAGE))
    with uow_factory(read_only=True) as uow:
        # One more than asked says whether another page follows.
        found = uow.readings.pending_after(period, after_id, limit + 1)
    page = tuple(found[:limit])
    return PendingReadingsPage(page, page[-1].id if len(found) > limit else None)


@attrs.frozen
class ResultsReport:
    """What an import of results did, or the problems that stopped it."""

    calculated: int = 0
    rejected: int = 0
    loaded: int = 0
    unchanged: int = 0
    problems: tuple[ImportProblem, ...] = ()

    @property
    def applied(self) -> bool:
        return not self.problems


def _applied(stored: Reading | None, result: Reading) -> tuple[str, Reading | None]:
    """What the result does to the stored reading: (kind of change, reading to store)."""
    if result.status is EntryStatus.ACCEPTED:
        raise RowProblem("status", "в результатах расчёта статус — «Рассчитано» или «Отклонено»")
    if result.status is EntryStatus.REJECTED and not result.rejection_reason:
        raise RowProblem("reason", "у отклонённого показания должна быть причина")
    if stored is None:
        if result.source is ReadingSource.PORTAL:
            raise RowProblem("reading", f"показание {result.id} из личного кабинета не найдено")
        return "loaded", result
    if (stored.meter_id, stored.zone, stored.period) != (
        result.meter_id,
        result.zone,
        result.period,
    ):
        raise RowProblem(
            "meter", f"показание {result.id} снято с другого прибора, зоны или периода"
        )
    if stored.status is result.status and stored.rejection_reason == result.rejection_reason:
        return "unchanged", None
    if not stored.is_pending:
        raise RowProblem(
            "status", f"показание {result.id} уже «{stored.status.label_ru}»: изменить его нельзя"
        )
    if result.status is EntryStatus.CALCULATED:
        stored.mark_calculated()
        return "calculated", stored
    stored.reject(result.rejection_reason)
    return "rejected", stored


def import_reading_results(
    uow_factory: UnitOfWorkFactory[BillingImportUnitOfWork],
    source: SourceFile,
    *,
    tz: dt.tzinfo,
    progress: ProgressReporter,
) -> ResultsReport:
    """Apply billing's results in one transaction; any bad line and nothing changes."""
    counts = {"calculated": 0, "rejected": 0, "loaded": 0, "unchanged": 0}
    problems: list[ImportProblem] = []
    with uow_factory() as uow:
        known = known_keys(uow)
        read = reader_for(FileKind.READINGS, source.columns, known, tz)
        first_lines: dict[str, int] = {}
        for line, fields in source.rows():
            try:
                result = read(fields)
                first = first_lines.setdefault(result.id, line)
                if first != line:
                    raise RowProblem("reading", f"показание {result.id} уже есть в строке {first}")
                change, stored = _applied(uow.readings.get(result.id), result)
            except RowProblem as problem:
                problems.append(ImportProblem(source.name, line, problem.column, problem.reason))
                if len(problems) >= MAX_PROBLEMS:
                    break
                continue
            counts[change] += 1
            if stored is not None and not problems:
                uow.readings.upsert_many([stored])
            progress.advance(*source.progress())
        if problems:
            uow.rollback()
            return ResultsReport(problems=tuple(problems))
        stored_periods = {p.period.code for p in uow.periods.list()}
        for code in sorted(known.periods_seen - stored_periods):
            uow.periods.save(BillingPeriod(Period.from_code(code)))
        uow.commit()
    return ResultsReport(
        counts["calculated"], counts["rejected"], counts["loaded"], counts["unchanged"]
    )
