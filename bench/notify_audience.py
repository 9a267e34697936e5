"""Benchmark: a service-message audience of 100,000 accounts (F26) and an operator's search
by surname (F25) on SQLite, streamed in pages, against baselines in the same run.

Run with no arguments: `python bench/notify_audience.py` (or `--accounts N`, or
`LK_BENCH_ACCOUNTS=N`).

Data: N accounts in 100 houses, two periods of ledger lines for two services each, one in
ten opted in to e-mail informing with its consent recorded. Figures:

- TIME BASELINE: plain sqlite3 reading every account row in pages of 500 (the least any
  streaming reader does). OURS: `lk notify --dry-run --min-debt 1000 --email` as the use
  case runs it (the debt and consent subqueries, the opt-in decision, the template
  filled in for each recipient), and the same run queueing the messages for real.
- MEMORY BASELINE: the unstreamed way, every account of the company loaded at once
  (`AccountRepository.in_house` with all accounts in one house). OURS: the peak Python
  allocation (tracemalloc) of the dry run.
- SEARCH: `AccountDirectory.find` by a surname that matches nothing, so the whole table is
  scanned (the worst case), against the time baseline.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

GOAL_DRY_RUN_SECONDS, GOAL_PEAK_MB, GOAL_FIND_SECONDS = 30.0, 64.0, 5.0
HOUSES = 100
NOW_ISO = "2026-03-02 09:00:00.000000+00:00"


def build(path: Path, accounts: int) -> None:
    from lk_adapters.sqlalchemy.engine import make_engine
    from lk_adapters.sqlalchemy.migrations import upgrade_database

    engine = make_engine(f"sqlite:///{path}")
    upgrade_database(engine)
    engine.dispose()
    db = sqlite3.connect(path)
    db.executemany(
        "INSERT INTO houses (code, address, total_area) VALUES (?, ?, ?)",
        [(f"H{h}", f"г. Тверь, ул. Советская, д. {h}", "4210.55") for h in range(HOUSES)],
    )
    db.executemany(
        "INSERT INTO services (code, name, unit, provider) VALUES (?, ?, '', '')",
        [("HW", "Горячая вода"), ("EL", "Электроэнергия")],
    )

    def account(n: int) -> tuple[object, ...]:
        email = f"resident{n}@example.ru" if n % 10 == 0 else None
        return (
            str(1_000_000 + n),
            "",
            f"H{n % HOUSES}",
            f"Иванов{n % 997} Иван Петрович",
            str(n % 300 + 1),
            2,
            "54.30",
            2,
            None,
            email,
            "paper",
            False,
            n % 10 == 0,
        )

    db.executemany(
        "INSERT INTO accounts (key, letter, house_code, payer_name, flat, rooms, area, residents,"
        " phone, email, delivery, sms_informing, email_informing)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (account(n) for n in range(accounts)),
    )
    db.executemany(
        "INSERT INTO ledger_lines (account_key, period, service_code, opening, charged,"
        " recalculation, paid, recalculation_reason) VALUES (?, ?, ?, ?, ?, 0, ?, '')",
        (
            (str(1_000_000 + n), period, service, 0, (n * 7919) % 400_000, (n * 31) % 200_000)
            for n in range(accounts)
            for period in (202601, 202602)
            for service in ("HW", "EL")
        ),
    )
    db.executemany(
        "INSERT INTO consents (account_key, kind, text_version, given, at, ip, user_agent,"
        " address) VALUES (?, 'email_informing', '2025-09-01', 1, ?, '', '', ?)",
        ((str(1_000_000 + n), NOW_ISO, f"resident{n}@example.ru") for n in range(0, accounts, 10)),
    )
    db.commit()
    db.close()


def baseline_scan(path: Path) -> float:
    db = sqlite3.connect(path)
    started = time.perf_counter()
    cursor = db.execute("SELECT * FROM accounts ORDER BY key")
    while cursor.fetchmany(500):
        pass
    seconds = time.perf_counter() - started
    db.close()
    return seconds


def notify(path: Path, *, dry_run: bool) -> tuple[float, int, int]:
    """Seconds, accounts selected, e-mails that would be (or were) queued."""
    from lk_adapters.clock import SystemClock
    from lk_adapters.sqlalchemy.engine import make_engine
    from lk_adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWorkFactory
    from lk_core.money import Money
    from lk_core.operator.directory import Audience
    from lk_core.operator.messages import Channel
    from lk_core.operator.operators import Operator
    from lk_core.operator.templates import MessageTemplate
    from lk_core.ports import no_progress
    from lk_core.usecases.service_messages import NotifyRequest, send_service_messages

    engine = make_engine(f"sqlite:///{path}")
    template = MessageTemplate.parse("Тема: Долг по счёту {number}\n\n{name}, ваш долг {debt}.")
    request = NotifyRequest(
        Audience(min_debt=Money(100_000)),
        (Channel.EMAIL,),
        template,
        "ООО «УК»",
        dry_run=dry_run,
    )
    started = time.perf_counter()
    report = send_service_messages(
        SqlAlchemyUnitOfWorkFactory(engine),
        SystemClock(),
        Operator("bench"),
        request,
        no_progress(),
    )
    seconds = time.perf_counter() - started
    engine.dispose()
    return seconds, report.selected, report.counts[Channel.EMAIL].queued


def peak_mb(action: object) -> float:
    tracemalloc.start()
    action()  # type: ignore[operator]
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def load_all_at_once(path: Path) -> None:
    from lk_adapters.sqlalchemy.engine import make_engine
    from lk_adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWorkFactory

    db = sqlite3.connect(path)
    db.execute("UPDATE accounts SET house_code = 'H0'")
    db.commit()
    db.close()
    engine = make_engine(f"sqlite:///{path}")
    with SqlAlchemyUnitOfWorkFactory(engine)(read_only=True) as uow:
        everyone = uow.accounts.in_house("H0")
    assert everyone
    engine.dispose()


def find_nobody(path: Path) -> float:
    from lk_adapters.sqlalchemy.engine import make_engine
    from lk_adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWorkFactory
    from lk_core.operator.directory import AccountQuery

    engine = make_engine(f"sqlite:///{path}")
    started = time.perf_counter()
    with SqlAlchemyUnitOfWorkFactory(engine)(read_only=True) as uow:
        found = uow.directory.find(AccountQuery.parse("Кузнецова"), 50)
    seconds = time.perf_counter() - started
    assert found == []
    engine.dispose()
    return seconds


def verdict(met: bool) -> str:
    return "met" if met else "missed"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--accounts", type=int, default=int(os.environ.get("LK_BENCH_ACCOUNTS", "100000"))
    )
    accounts = parser.parse_args().accounts
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "lk.sqlite3"
        started = time.perf_counter()
        build(path, accounts)
        print(
            f"data: {accounts} accounts, {accounts * 4} ledger lines, "
            f"{accounts // 10} opted in ({time.perf_counter() - started:.1f} s to build)"
        )
        scan = baseline_scan(path)
        dry, selected, would = notify(path, dry_run=True)
        print(f"baseline: plain scan of every account row      {scan:8.2f} s")
        print(
            f"ours:     notify --dry-run (selected {selected}, would e-mail {would})"
            f" {dry:8.2f} s  ratio {dry / scan:.1f}x"
        )
        sent, _, queued = notify(path, dry_run=False)
        print(
            f"ours:     notify queueing {queued} e-mails          {sent:8.2f} s  "
            f"ratio {sent / scan:.1f}x"
        )
        find = find_nobody(path)
        print(
            f"ours:     find by surname, whole table scanned {find:8.2f} s  "
            f"ratio {find / scan:.1f}x"
        )
        ours_peak = peak_mb(lambda: notify(path, dry_run=True))
        all_peak = peak_mb(lambda: load_all_at_once(path))
        print(
            f"memory:   dry run peak {ours_peak:.1f} MB; every account loaded at once "
            f"{all_peak:.1f} MB (ratio {ours_peak / all_peak:.2f})"
        )
    scale = 100_000 / accounts
    per_100k = dry * scale
    print(
        f"RESULT notify_dry_run_seconds_per_100k {per_100k:.2f} goal {GOAL_DRY_RUN_SECONDS} "
        f"{verdict(per_100k <= GOAL_DRY_RUN_SECONDS)}"
    )
    print(
        f"RESULT notify_dry_run_peak_mb {ours_peak:.1f} goal {GOAL_PEAK_MB} "
        f"{verdict(ours_peak <= GOAL_PEAK_MB)}"
    )
    find_100k = find * scale
    print(
        f"RESULT find_by_surname_seconds_per_100k {find_100k:.2f} goal {GOAL_FIND_SECONDS} "
        f"{verdict(find_100k <= GOAL_FIND_SECONDS)}"
    )


if __name__ == "__main__":
    main()
