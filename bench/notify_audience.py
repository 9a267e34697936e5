"""Benchmark: a service-message audience of 100,000 accounts (F26) and an operator's search
by surname (F25) on SQLite, streamed in pages, against baselines in the same run.

Run with no arguments: `python bench/notify_audience.py` (or `--accounts N`, or
`LK_BENCH_ACCOUNTS=N`). SQLite always; PostgreSQL too when `LK_BENCH_POSTGRES_URL` (or
`LK_TEST_POSTGRES_URL`) names a server, in a schema of its own dropped afterwards.

Data: N accounts in 100 houses, two periods of ledger lines for two services each, one in
ten opted in to e-mail informing with its consent recorded. Figures:

- TIME BASELINE: the bare driver cursor reading every account row 500 at a time (the least any
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
import datetime as dt
import os
import sys
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

GOAL_DRY_RUN_SECONDS, GOAL_PEAK_MB, GOAL_FIND_SECONDS = 30.0, 64.0, 5.0
HOUSES = 100
CHUNK = 5000
NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def build(url: str, accounts: int) -> None:
    """The schema by the project's migrations, then the data in bulk through plain inserts."""
    from sqlalchemy import insert

    from lk_adapters.sqlalchemy import tables
    from lk_adapters.sqlalchemy.engine import make_engine
    from lk_adapters.sqlalchemy.migrations import upgrade_database

    engine = make_engine(url)
    upgrade_database(engine)

    def account(n: int) -> dict[str, object]:
        return {
            "key": str(1_000_000 + n),
            "letter": "",
            "house_code": f"H{n % HOUSES}",
            "payer_name": f"Иванов{n % 997} Иван Петрович",
            "flat": str(n % 300 + 1),
            "rooms": 2,
            "area": Decimal("54.30"),
            "residents": 2,
            "phone": None,
            "email": f"resident{n}@example.ru" if n % 10 == 0 else None,
            "delivery": "paper",
            "sms_informing": False,
            "email_informing": n % 10 == 0,
        }

    def ledger(n: int) -> list[dict[str, object]]:
        return [
            {
                "account_key": str(1_000_000 + n),
                "period": period,
                "service_code": service,
                "opening": 0,
                "charged": (n * 7919) % 400_000,
                "recalculation": 0,
                "paid": (n * 31) % 200_000,
                "recalculation_reason": "",
            }
            for period in (202601, 202602)
            for service in ("HW", "EL")
        ]

    def consent(n: int) -> dict[str, object]:
        return {
            "account_key": str(1_000_000 + n),
            "kind": "email_informing",
            "text_version": "2025-09-01",
            "given": True,
            "at": NOW,
            "ip": "",
            "user_agent": "",
            "address": f"resident{n}@example.ru",
        }

    with engine.begin() as connection:
        connection.execute(
            insert(tables.houses),
            [
                {
                    "code": f"H{h}",
                    "address": f"г. Тверь, ул. Советская, д. {h}",
                    "total_area": Decimal("4210.55"),
                }
                for h in range(HOUSES)
            ],
        )
        connection.execute(
            insert(tables.services),
            [{"code": "HW", "name": "Горячая вода"}, {"code": "EL", "name": "Электроэнергия"}],
        )
        for first in range(0, accounts, CHUNK):
            numbers = range(first, min(first + CHUNK, accounts))
            connection.execute(insert(tables.accounts), [account(n) for n in numbers])
            connection.execute(
                insert(tables.ledger_lines), [row for n in numbers for row in ledger(n)]
            )
            opted = [consent(n) for n in numbers if n % 10 == 0]
            if opted:
                connection.execute(insert(tables.consents), opted)
    engine.dispose()


def baseline_scan(url: str) -> float:
    """Every account row through the bare driver cursor, 500 at a time."""
    from lk_adapters.sqlalchemy.engine import make_engine

    engine = make_engine(url)
    connection = engine.raw_connection()
    started = time.perf_counter()
    cursor = connection.cursor()
    cursor.execute("SELECT * FROM accounts ORDER BY key")
    while cursor.fetchmany(500):
        pass
    seconds = time.perf_counter() - started
    connection.close()
    engine.dispose()
    return seconds


def notify(url: str, *, dry_run: bool) -> tuple[float, int, int]:
    """Seconds, accounts selected, e-mails that would be (or were) queued."""
    from lk_adapters.clock import SystemClock
    from lk_adapters.sqlalchemy.engine import make_engine
    from lk_adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWorkFactory
    from lk_core.kernel.money import Money
    from lk_core.kernel.runtime import no_progress
    from lk_core.operator.audiences import Channel
    from lk_core.operator.directory import Audience
    from lk_core.operator.operators import Operator
    from lk_core.operator.service_messages import NotifyRequest, send_service_messages
    from lk_core.operator.templates import MessageTemplate

    engine = make_engine(url)
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


def load_all_at_once(url: str) -> None:
    from sqlalchemy import update

    from lk_adapters.sqlalchemy import tables
    from lk_adapters.sqlalchemy.engine import make_engine
    from lk_adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWorkFactory

    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(update(tables.accounts).values(house_code="H0"))
    with SqlAlchemyUnitOfWorkFactory(engine)(read_only=True) as uow:
        everyone = uow.accounts.in_house("H0")
    assert everyone
    engine.dispose()


def find_nobody(url: str) -> float:
    from lk_adapters.sqlalchemy.engine import make_engine
    from lk_adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWorkFactory
    from lk_core.operator.directory import AccountQuery

    engine = make_engine(url)
    started = time.perf_counter()
    with SqlAlchemyUnitOfWorkFactory(engine)(read_only=True) as uow:
        found = uow.directory.find(AccountQuery.parse("Кузнецова"), 50)
    seconds = time.perf_counter() - started
    assert found == []
    engine.dispose()
    return seconds


def verdict(met: bool) -> str:
    return "met" if met else "missed"


def measure(name: str, url: str, accounts: int) -> None:
    """Every figure on one database, ending with its RESULT lines."""
    started = time.perf_counter()
    build(url, accounts)
    print(
        f"[{name}] data: {accounts} accounts, {accounts * 4} ledger lines, "
        f"{accounts // 10} opted in ({time.perf_counter() - started:.1f} s to build)"
    )
    scan = baseline_scan(url)
    dry, selected, would = notify(url, dry_run=True)
    print(f"[{name}] baseline: bare cursor over every account row  {scan:7.2f} s")
    print(
        f"[{name}] notify --dry-run --min-debt 1000 (selected {selected}, would e-mail "
        f"{would})  {dry:7.2f} s  ratio {dry / scan:.1f}x"
    )
    sent, _, queued = notify(url, dry_run=False)
    print(f"[{name}] notify queueing {queued} e-mails  {sent:7.2f} s  ratio {sent / scan:.1f}x")
    find = find_nobody(url)
    print(f"[{name}] find by surname, whole table scanned  {find:7.2f} s  ratio {find / scan:.1f}x")
    ours_peak = peak_mb(lambda: notify(url, dry_run=True))
    all_peak = peak_mb(lambda: load_all_at_once(url))
    print(
        f"[{name}] memory: dry run peak {ours_peak:.1f} MB; every account loaded at once "
        f"{all_peak:.1f} MB (ratio {ours_peak / all_peak:.2f})"
    )
    scale = 100_000 / accounts
    suffix = "" if name == "sqlite" else f"_{name}"
    per_100k, find_100k = dry * scale, find * scale
    print(
        f"RESULT notify_dry_run_seconds_per_100k{suffix} {per_100k:.2f} "
        f"goal {GOAL_DRY_RUN_SECONDS} {verdict(per_100k <= GOAL_DRY_RUN_SECONDS)}"
    )
    print(
        f"RESULT notify_dry_run_peak_mb{suffix} {ours_peak:.1f} goal {GOAL_PEAK_MB} "
        f"{verdict(ours_peak <= GOAL_PEAK_MB)}"
    )
    print(
        f"RESULT find_by_surname_seconds_per_100k{suffix} {find_100k:.2f} "
        f"goal {GOAL_FIND_SECONDS} {verdict(find_100k <= GOAL_FIND_SECONDS)}"
    )


@contextmanager
def postgres_schema(base_url: str) -> Iterator[str]:
    """A URL whose connections see only a new schema, dropped afterwards."""
    from sqlalchemy.engine import make_url

    from lk_adapters.sqlalchemy.engine import make_engine

    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = make_engine(base_url)
    with admin.begin() as connection:
        connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
    try:
        scoped = make_url(base_url).update_query_dict({"options": f"-csearch_path={schema}"})
        yield scoped.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--accounts", type=int, default=int(os.environ.get("LK_BENCH_ACCOUNTS", "100000"))
    )
    accounts = parser.parse_args().accounts
    with tempfile.TemporaryDirectory() as folder:
        measure("sqlite", f"sqlite:///{Path(folder) / 'lk.sqlite3'}", accounts)
    postgres = os.environ.get("LK_BENCH_POSTGRES_URL") or os.environ.get("LK_TEST_POSTGRES_URL")
    if postgres:
        with postgres_schema(postgres) as url:
            measure("postgres", url, accounts)
    else:
        print("PostgreSQL not measured: set LK_BENCH_POSTGRES_URL (or LK_TEST_POSTGRES_URL)")


if __name__ == "__main__":
    main()
