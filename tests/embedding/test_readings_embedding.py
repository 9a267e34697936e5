"""An internal system embeds the readings capability with persistence of its own.

`billing_system.py` implements only the ports `ReadingsUnitOfWork` lists; if the readings
use cases start needing more, these tests fail: at run time with a missing attribute,
and in the static check with the member the billing system lacks.
"""

from __future__ import annotations

import ast
import datetime as dt
import importlib
from decimal import Decimal
from pathlib import Path

import pytest
from mypy import api as mypy_api

from lk_core.accounts import Account, AccountNumber, House
from lk_core.kernel import Period
from lk_core.ledger import Service
from lk_core.readings import (
    DigitCapacity,
    EntryStatus,
    Meter,
    MeterKind,
    ReadingSource,
    delete_reading,
    meter_history,
    readings_form,
    submit_readings,
)

from .billing_system import BillingDatabase, FixedClock, readings_of_billing

EXAMPLE = Path(__file__).with_name("billing_system.py")
ACCOUNT = "500100"
WATER = Meter("W-1", MeterKind.INDIVIDUAL, "HVS", "ХВ-1", DigitCapacity(5, 3), account_key=ACCOUNT)
LINE = "W-1|single"
MARCH = Period(2026, 3)


@pytest.fixture
def database() -> BillingDatabase:
    database = BillingDatabase()
    data = database.data
    data.houses["H"] = House("H", "г. Тверь, ул. Советская, д. 1", Decimal("3200.5"))
    data.accounts[ACCOUNT] = Account(
        AccountNumber.parse(ACCOUNT), "H", "Орлова Анна Петровна", "7",
        rooms=2, area=Decimal("54.3"), residents=2,
    )  # fmt: skip
    data.services["HVS"] = Service("HVS", "Холодное водоснабжение", "м³")
    data.meters[WATER.id] = WATER
    return database


def test_a_submitted_reading_is_stored_in_the_embedders_own_store(database):
    ctx = readings_of_billing(database, FixedClock(dt.datetime(2026, 3, 20, 9, tzinfo=dt.UTC)))

    submission = submit_readings(ctx, ACCOUNT, "HVS", {LINE: "12,5"})

    assert submission.accepted
    assert submission.stored == 1
    [stored] = database.data.readings.values()
    assert (stored.meter_id, stored.period, stored.value) == ("W-1", MARCH, Decimal("12.5"))
    assert stored.source is ReadingSource.PORTAL
    assert stored.status is EntryStatus.ACCEPTED


def test_the_form_lists_the_pending_reading_and_the_history_shows_it(database):
    ctx = readings_of_billing(database, FixedClock(dt.datetime(2026, 3, 20, 9, tzinfo=dt.UTC)))
    submit_readings(ctx, ACCOUNT, "HVS", {LINE: "12,5"})

    [line] = readings_form(ctx, ACCOUNT, "HVS").lines
    history = meter_history(ctx, ACCOUNT, WATER.id)

    assert line.pending is not None
    assert line.pending.value == Decimal("12.5")
    assert [row.reading.value for row in history.rows] == [Decimal("12.5")]


def test_a_pending_reading_is_withdrawn_and_the_form_is_free_again(database):
    ctx = readings_of_billing(database, FixedClock(dt.datetime(2026, 3, 20, 9, tzinfo=dt.UTC)))
    submit_readings(ctx, ACCOUNT, "HVS", {LINE: "12,5"})
    pending = readings_form(ctx, ACCOUNT, "HVS").lines[0].pending
    assert pending is not None

    delete_reading(ctx, ACCOUNT, pending.id)

    assert readings_form(ctx, ACCOUNT, "HVS").lines[0].pending is None
    assert database.data.readings[pending.id].status is EntryStatus.DELETED


def test_a_refused_value_stores_nothing_in_the_embedders_store(database):
    ctx = readings_of_billing(database, FixedClock(dt.datetime(2026, 3, 20, 9, tzinfo=dt.UTC)))

    submission = submit_readings(ctx, ACCOUNT, "HVS", {LINE: "123456"})

    assert not submission.accepted
    assert LINE in submission.problems
    assert database.data.readings == {}


def test_the_example_imports_only_the_public_api_of_lk_core():
    tree = ast.parse(EXAMPLE.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("lk"):
            module = node.module or ""
            assert module.startswith("lk_core."), module
            assert module.count(".") == 1, module
            public = importlib.import_module(module).__all__
            assert all(alias.name in public for alias in node.names), module


def test_the_example_satisfies_the_readings_ports_as_mypy_reads_them():
    out, err, status = mypy_api.run(
        [str(EXAMPLE), "--strict", "--follow-imports=silent", "--no-incremental",
         "--ignore-missing-imports"]
    )  # fmt: skip
    assert status == 0, out + err
