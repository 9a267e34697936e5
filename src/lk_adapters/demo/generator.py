"""`write_demo_files`: the demo company (F29) as the billing files a real one would send."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from lk_adapters.demo.files import (
    account_rows,
    house_rows,
    ledger_rows,
    meter_rows,
    payment_rows,
    reading_rows,
    service_rows,
    write_kind,
)
from lk_adapters.demo.flats import make_accounts
from lk_adapters.demo.ledger import simulate_ledger
from lk_adapters.demo.meters import make_common_meters, make_individual_meters
from lk_adapters.demo.volumes import build_volumes
from lk_core.billing_import.kinds import FileKind
from lk_core.kernel.periods import Period

HISTORY_MONTHS = 12


def demo_periods(today: dt.date) -> tuple[list[Period], Period]:
    """The twelve whole months before `today`'s month, and `today`'s month itself."""
    current = Period.of(today)
    history = [current]
    for _ in range(HISTORY_MONTHS):
        history.insert(0, history[0].previous())
    return history[:-1], current


def write_demo_files(folder: Path, *, seed: int = 2026, today: dt.date) -> list[Path]:
    """Write the demo company's billing files into `folder`; the same seed and day give
    the same files. Returns the paths in load order."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)  # noqa: S311 - repeatable demo data, not secrets
    history, current = demo_periods(today)
    reading_periods = [history[0].previous(), *history]
    accounts = make_accounts(rng)
    meters, readings = make_individual_meters(rng, accounts, reading_periods, today)
    book = build_volumes(accounts, readings, history, current)
    common, common_readings = make_common_meters(rng, book.house_use(accounts), reading_periods)
    entries, payments = simulate_ledger(rng, accounts, book, [*history, current], today)
    # The month before the history only gives the first month's starting values: its
    # readings stay out of the files, so they hold no period without a ledger.
    shown = [r for r in [*readings, *common_readings] if r.period >= history[0]]
    return [
        write_kind(folder, FileKind.HOUSES, house_rows(accounts)),
        write_kind(folder, FileKind.SERVICES, service_rows()),
        write_kind(folder, FileKind.ACCOUNTS, account_rows(accounts)),
        write_kind(folder, FileKind.METERS, meter_rows([*meters, *common])),
        write_kind(folder, FileKind.LEDGER, ledger_rows(entries)),
        write_kind(folder, FileKind.PAYMENTS, payment_rows(payments)),
        write_kind(folder, FileKind.READINGS, reading_rows(shown)),
    ]
