"""Benchmark: loading a bank payment registry (F24), against a plain-SQLite baseline.

Run with no arguments: `python bench/registry_import.py` (or `--lines N`, `LK_BENCH_LINES=N`).

A Sberbank-style registry of `--lines` payments (Windows-1251, `;`) to 20,000 accounts is
generated; one line in ten names a pending portal order, one in twenty is a «Система
Город» payment matched to its pending order by account and amount.
BASELINE is the least any loader must do: decode the file, split it with the standard
`csv` reader and `sqlite3.executemany` the raw fields into the `payments` table of a fresh
database made by the project's migrations, in one transaction. OURS is the real path:
`read_registry` (every field parsed and checked, the summary line checked) and
`import_registry` (accounts checked, each line matched to orders, payments credited, the
lines recorded) over SQLite, in one transaction.

Goals: OURS ≥ 0.1 × BASELINE lines/s (the matching reads orders line by line), and a
registry of 50,000 lines (a large company's month) loaded in under 30 s.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from lk_adapters.container import Container, build_container
from lk_adapters.registries import SBERBANK, read_registry
from lk_adapters.settings import load_settings
from lk_adapters.sqlalchemy.migrations import upgrade_database
from lk_core.accounts.account import Account, AccountNumber, House
from lk_core.kernel.money import Money
from lk_core.payments.orders import PaymentOrder
from lk_core.payments.registry_import import import_registry

ACCOUNTS = 20_000
GOAL_RATIO, GOAL_SECONDS, GOAL_LINES = 0.1, 30.0, 50_000
DAY = dt.date(2026, 3, 2)
CREATED = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)


def account_key(n: int) -> str:
    return str(100_000 + n % ACCOUNTS)


def write_registry(path: Path, lines: int) -> tuple[list[PaymentOrder], int]:
    """The registry file, and the pending orders its lines will meet."""
    orders: list[PaymentOrder] = []
    out = io.StringIO()
    total = 0
    for n in range(lines):
        kopecks = 10_000 + (n * 7919) % 500_000
        total += kopecks
        order_id = ""
        if n % 10 == 0:
            order_id = f"{n:032x}"
            orders.append(
                PaymentOrder(order_id, account_key(n), "yookassa", Money(kopecks), CREATED)
            )
        elif n % 20 == 5:
            orders.append(
                PaymentOrder(f"g{n:031x}", account_key(n), "gorod", Money(kopecks), CREATED)
            )
        out.write(
            f"{DAY:%d-%m-%Y};10-15-22;8607;8607999V;{900_000_000 + n};{account_key(n)};"
            f"ЖИТЕЛЬ {n};Г ТВЕРЬ;032026;{kopecks // 100},{kopecks % 100:02d};0,00;0,00;{order_id}\n"
        )
    out.write(f"={lines};{total // 100},{total % 100:02d};0,00;0,00\n")
    path.write_bytes(out.getvalue().encode("cp1251"))
    return orders, total


def fresh_database(folder: Path, name: str, orders: list[PaymentOrder]) -> Container:
    settings = load_settings({"LK_DEMO": "1", "LK_DATABASE_URL": f"sqlite:///{folder / name}"})
    container = build_container(settings)
    upgrade_database(container.engine())
    with container.uow_factory()() as uow:
        uow.houses.upsert_many([House("H1", "г. Тверь", Decimal("1000"))])
        uow.accounts.upsert_from_billing(
            [
                Account(
                    AccountNumber(account_key(n)), "H1", f"Житель {n}", str(n), 1, Decimal("50"), 1
                )
                for n in range(ACCOUNTS)
            ]
        )
        for order in orders:
            uow.payment_orders.add(order)
        uow.commit()
    return container


def baseline(path: Path, database: Path) -> float:
    start = time.perf_counter()
    text = path.read_bytes().decode("cp1251")
    rows = [
        ("registry", row[4], row[5], row[0], row[9], row[6])
        for row in csv.reader(io.StringIO(text), delimiter=";")
        if not row[0].startswith("=")
    ]
    with sqlite3.connect(database) as db:
        db.executemany(
            "INSERT INTO payments (channel, external_id, account_key, paid_on, amount, payer) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            rows,
        )
    return time.perf_counter() - start


def ours(path: Path, container: Container) -> float:
    start = time.perf_counter()
    entries = read_registry(path, SBERBANK)
    report = import_registry(
        container.uow_factory(), container.clock(), "sberbank", path.name, entries,
        container.payments().registry_providers,
    )  # fmt: skip
    elapsed = time.perf_counter() - start
    assert report.lines == len(entries)
    assert report.repeated == 0
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--lines", type=int, default=int(os.environ.get("LK_BENCH_LINES", GOAL_LINES))
    )
    lines = parser.parse_args().lines
    folder = Path(tempfile.mkdtemp(prefix="lk-bench-registry-"))
    try:
        path = folder / "registry.csv"
        orders, _ = write_registry(path, lines)
        base_container = fresh_database(folder, "base.sqlite3", [])
        base_container.engine().dispose()
        our_container = fresh_database(folder, "ours.sqlite3", orders)
        base = baseline(path, folder / "base.sqlite3")
        mine = ours(path, our_container)
        our_container.engine().dispose()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    ratio = base / mine
    print(f"registry of {lines:,} lines, {len(orders):,} pending orders, {ACCOUNTS:,} accounts")
    print(f"BASELINE csv + sqlite3.executemany: {base:.2f} s ({lines / base:,.0f} lines/s)")
    print(f"OURS read_registry + import_registry: {mine:.2f} s ({lines / mine:,.0f} lines/s)")
    verdict = "met" if ratio >= GOAL_RATIO else "missed"
    print(f"RESULT registry_ratio {ratio:.3f} goal {GOAL_RATIO} {verdict}")
    seconds = mine * GOAL_LINES / lines
    print(
        f"RESULT registry_50k_seconds {seconds:.1f} goal {GOAL_SECONDS} "
        f"{'met' if seconds < GOAL_SECONDS else 'missed'}"
    )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
