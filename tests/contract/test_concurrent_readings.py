"""Two tabs submitting for the same meter at the same moment leave exactly one pending
reading: the database enforces it (a partial unique index), tested with real threads on
SQLite and PostgreSQL (the in-memory store does not merge concurrent transactions)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import attrs
import pytest

from access_fixtures import IVANOV, a_portal, load_accounts, some_accounts
from lk_core.access.context import AccessContext
from lk_core.readings.errors import ReadingConflict
from lk_core.readings.reading import EntryStatus
from lk_core.readings.submission import submit_readings
from lk_core.unit_of_work import UnitOfWorkFactory
from readings_fixtures import COLD_WATER, FEBRUARY, load_meters
from readings_fixtures import a_reading as a_calculated_reading

from .builders import a_reading

TABS = 6


@pytest.fixture
def ctx(sql_uow_factory: UnitOfWorkFactory) -> AccessContext:
    load_accounts(sql_uow_factory, some_accounts())
    load_meters(sql_uow_factory)
    return attrs.evolve(a_portal().ctx, uow_factory=sql_uow_factory)


def statuses(uow_factory: UnitOfWorkFactory) -> list[EntryStatus]:
    with uow_factory(read_only=True) as uow:
        return [r.status for r in uow.readings.of_meter(COLD_WATER.id)]


def at_once(count: int, work: Callable[[int], object]) -> list[object]:
    """Run `work(i)` in `count` threads released together; each result or exception."""
    start = threading.Barrier(count)

    def run(index: int) -> object:
        start.wait()
        try:
            return work(index)
        except Exception as error:
            return error

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(run, range(count)))


def test_tabs_submitting_together_leave_exactly_one_pending_reading(ctx: AccessContext) -> None:
    def submit(tab: int) -> object:
        return submit_readings(ctx, IVANOV, "HVS", {"M-HVS|single": f"13{tab},5"})

    outcomes = at_once(TABS, submit)

    succeeded = [o for o in outcomes if not isinstance(o, Exception)]
    assert all(isinstance(o, ReadingConflict) for o in outcomes if isinstance(o, Exception))
    found = statuses(ctx.uow_factory)
    assert found.count(EntryStatus.ACCEPTED) == 1
    assert found.count(EntryStatus.REPLACED) == len(succeeded) - 1
    assert len(succeeded) >= 1


def test_two_writers_that_both_saw_no_pending_reading_cannot_both_add_one(
    sql_uow_factory: UnitOfWorkFactory, request: pytest.FixtureRequest
) -> None:
    load_accounts(sql_uow_factory, some_accounts())
    load_meters(sql_uow_factory, readings=[a_calculated_reading(COLD_WATER, FEBRUARY, "1")])
    # PostgreSQL lets both transactions read before either writes; SQLite's writers queue
    # at BEGIN IMMEDIATE, so there the second one reads after the first has committed and
    # inserts regardless, as a writer with a stale view would.
    both_read = threading.Barrier(2) if "postgres" in request.node.callspec.id else None

    def add(tab: int) -> object:
        with sql_uow_factory() as uow:
            uow.readings.of_meter(COLD_WATER.id)
            if both_read is not None:
                both_read.wait(timeout=10)
            uow.readings.add_pending(
                a_reading(f"tab-{tab}", meter_id=COLD_WATER.id, value=Decimal(tab + 2))
            )
            uow.commit()
            return tab

    outcomes = at_once(2, add)

    assert sum(isinstance(o, ReadingConflict) for o in outcomes) == 1
    assert sum(isinstance(o, int) for o in outcomes) == 1
    assert statuses(sql_uow_factory).count(EntryStatus.ACCEPTED) == 1
