"""Benchmark: month close (F22) against the bare receipt renderer, in the same run.

Run with no arguments: `python bench/receipts.py` (one to two minutes on 2 cores).

DATA. `lk demo` loads the demo company (299 accounts, 12 closed months, meters and
readings) into a fresh SQLite file in a temporary folder; it already closes the last three
months. The bench copies the accounts of the first month `--copies` times under new
numbers (with their ledger lines, meters and readings of that month and the one before),
so that month has about 299 × (copies + 1) accounts, 6,279 by default; so do the next
`--rounds` − 1 months. Each round closes one of those months with the real `close_month`
use case and the process runner `lk period close` uses (one worker per core): every
receipt is gathered from the database, rendered, written to the folder store (write,
then rename) and counted; worker start-up is included.

BASELINE. The bare renderer: one receipt document, gathered once, rendered in a loop in
this process (one core) for a few seconds, right before each round's close. The bare
rate times the number of cores is also shown: what the renderer alone could do with
every core busy. The machine is shared, so the best round of each is reported (a busy
machine only slows).

GOALS (issue 6). Month close renders at least 80 % of the bare renderer's receipts per
second, and at least 150 receipts per second; 100,000 accounts close in under 12 minutes
(extrapolated linearly from the measured rate: the close streams batches of 100 accounts,
so its work per receipt does not grow with the number of accounts; the database lookups
per account are by index and grow only logarithmically).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import attrs

from lk_adapters.receipts import PdfReceiptRenderer
from lk_adapters.receipts.runner import worker_count
from lk_cli.context import container_from_environment
from lk_core.accounts.account import AccountNumber
from lk_core.kernel.periods import Period
from lk_core.kernel.runtime import no_progress
from lk_core.ledger.lines import LedgerRow
from lk_core.receipts.document import receipt_document
from lk_core.receipts.month_close import close_month
from lk_core.unit_of_work import UnitOfWorkFactory

BARE_SECONDS = 4.0


def copy_accounts(uow_factory: UnitOfWorkFactory, period: Period, copies: int) -> None:
    """The period's accounts again under new numbers, with what their receipts show."""
    with uow_factory(read_only=True) as uow:
        keys = uow.ledger.accounts_in(period)
        accounts = [uow.accounts.get(key) for key in keys]
        lines = {key: uow.ledger.lines(key, period) for key in keys}
        meters = {key: uow.meters.of_account(key) for key in keys}
        readings = {
            key: uow.readings.of_meters_in([m.id for m in meters[key]], (period.previous(), period))
            for key in keys
        }
    for copy in range(1, copies + 1):
        new_accounts, rows, new_meters, new_readings = [], [], [], []
        for key, account in zip(keys, accounts, strict=True):
            assert account is not None
            new_key = str(int(key) + copy * 1_000_000)
            number = AccountNumber(new_key, account.number.letter)
            new_accounts.append(attrs.evolve(account, number=number))
            for line in lines[key]:
                row: LedgerRow = (
                    new_key, period.code, line.service_code, line.opening.kopecks,
                    line.charged.kopecks, line.recalculation.kopecks, line.paid.kopecks,
                    None if line.volume is None else str(line.volume),
                    None if line.tariff is None else str(line.tariff), line.recalculation_reason,
                )  # fmt: skip
                rows.append(row)
            for meter in meters[key]:
                new_meters.append(attrs.evolve(meter, id=f"{meter.id}-{copy}", account_key=new_key))
            for reading in readings[key]:
                new_readings.append(
                    attrs.evolve(
                        reading, id=f"{reading.id}-{copy}", meter_id=f"{reading.meter_id}-{copy}"
                    )
                )
        with uow_factory() as uow:
            uow.accounts.upsert_from_billing(new_accounts)
            uow.ledger.upsert_rows(rows)
            uow.meters.upsert_many(new_meters)
            uow.readings.upsert_many(new_readings)
            uow.commit()


def _goal(met: bool) -> str:
    return "met" if met else "missed"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=20, help="copies of the demo accounts")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of bare renderer and close")
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="lk-bench-receipts-"))
    try:
        os.environ.update(
            LK_DEMO="1",
            LK_DATABASE_URL=f"sqlite:///{folder / 'lk.sqlite3'}",
            LK_RECEIPTS_FOLDER=str(folder / "receipts"),
        )
        subprocess.run(
            [sys.executable, "-c", "from lk_cli.main import cli; cli()", "demo",
             "--folder", str(folder / "demo")],
            check=True, capture_output=True,
        )  # fmt: skip
        container = container_from_environment()
        uow_factory, company = container.uow_factory(), container.company()
        with uow_factory(read_only=True) as uow:
            closed = [p.period for p in uow.periods.list() if p.is_closed]
            key = uow.ledger.accounts_in(closed[-1])[0]
            document = receipt_document(uow, company, key, closed[-1])
        assert document is not None
        renderer = PdfReceiptRenderer()
        renderer.render(document)
        cores = worker_count()
        bares, closes = [], []
        for month in closed[: options.rounds]:
            copy_accounts(uow_factory, month, options.copies)
        for round_number, month in enumerate(closed[: options.rounds], start=1):
            count, start = 0, time.perf_counter()
            while time.perf_counter() - start < BARE_SECONDS:
                renderer.render(document)
                count += 1
            bares.append(count / (time.perf_counter() - start))
            start = time.perf_counter()
            report = close_month(
                uow_factory, container.clock(), company, container.receipt_store(),
                container.receipt_runner(), month, no_progress(),
            )  # fmt: skip
            seconds = time.perf_counter() - start
            assert report.rendered == report.accounts, "every account got its receipt"
            closes.append(report.rendered / seconds)
            print(
                f"round {round_number}: bare renderer {bares[-1]:,.0f}/s in one process; "
                f"month close of {month}: {report.rendered} receipts in {seconds:.1f} s, "
                f"{closes[-1]:,.0f}/s"
            )
        bare, rate = max(bares), max(closes)
        minutes_100k = 100_000 / rate / 60
        print(
            f"best rounds: bare renderer {bare:,.0f} receipts/s in one process "
            f"({cores} cores: {bare * cores:,.0f}/s); month close {rate:,.0f}/s"
        )
        parent = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(
            f"peak memory: this process {parent:.0f} MiB, "
            f"largest child {workers:.0f} MiB (lk demo among them)"
        )
        print(f"close / bare (one process): {rate / bare:.2f}; close / (bare × {cores} cores): "
              f"{rate / (bare * cores):.2f}")  # fmt: skip
        print(
            f"RESULT close_vs_bare_renderer {rate / bare:.2f} goal 0.80 {_goal(rate / bare >= 0.8)}"
        )
        print(f"RESULT close_receipts_per_second {rate:.0f} goal 150 {_goal(rate >= 150)}")
        print(
            f"RESULT close_100k_minutes_extrapolated {minutes_100k:.1f} goal 12 "
            f"{_goal(minutes_100k < 12)}"
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
