"""Benchmark: meter reading submissions (POST /readings, F13) against the signed-in main page,
and the memory of `lk readings export` (F23) from 200,000 to 1,000,000 readings.

Run with no arguments: `python bench/readings.py` (about 3 to 4 minutes on 2 cores;
`--quick` scales it down; `--accounts`, `--clients`, `--rounds`, `--round-seconds`,
`--workers`, `--small`, `--large`, `--no-postgres`, `--keep`: see `--help`). Servers,
files and the PostgreSQL databases it makes are removed at the end.

The goals (issue «Meter readings …», Performance): reading submissions reach at least
50 % of the requests per second of the signed-in main page, same server, same run; the
export of 1,000,000 readings streams in constant memory: its peak RSS with 1,000,000
readings stays within 1.1× of its peak with 200,000 (what grows with the rows is what is
held at once).

SUBMISSIONS. Houses, services, accounts and 3 months of ledger (bench/main_page.py's
billing files), plus one cold-water meter per account with last month's reading, are
loaded by `lk import` into SQLite and PostgreSQL. `--clients` accounts are registered
and signed in (main_page's helpers); each connection first GETs /home and the readings
page, as a browser would, to get the CSRF cookie and token. Then the two targets take
turns on the same `lk serve`, driven by main_page's load generator: GET /home (the
main page) and POST /readings with a value for the connection's own meter (each
submission replaces the previous pending value: a withdrawal and an insert under the
one-pending-reading index, and a 303 answer). Best round of each is reported.

EXPORT. A fresh database is filled directly (executemany on SQLite, COPY on PostgreSQL)
with `--small` pending readings of one period, each of its own meter; `lk readings
export` runs as a child process and its peak RSS is read from `wait4`; then the rest up
to `--large` is added and the export runs again. An export of an empty period is the
baseline of what the command itself takes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote

import main_page as mp

GOAL_RATIO, GOAL_RSS_RATIO = 0.5, 1.1
CSRF_TOKEN = re.compile(r'name="_csrf_token" value="([^"]+)"')
PERIOD = "2026-11"
SERVICE = "HVS"


# --- Data ---------------------------------------------------------------------------------------


def meter_id(n: int) -> str:
    return f"W{n}"


def write_meter_files(folder: Path, accounts: int) -> list[Path]:
    """A cold-water meter per account and its October reading (docs/formats.md)."""
    meters, readings = folder / "meters.csv", folder / "readings.csv"
    with meters.open("w", encoding="utf-8", newline="") as file:
        file.write("Код ПУ;Тип ПУ;Код услуги;Заводской номер;Разрядность;Знаков после запятой;"
                   "Лицевой счёт\r\n")  # fmt: skip
        for n in range(accounts):
            file.write(f"{meter_id(n)};ИПУ;{SERVICE};{700000 + n};6;3;{mp.account_key(n)}\r\n")
    with readings.open("w", encoding="utf-8", newline="") as file:
        file.write("Код показания;Код ПУ;Период;Показание;Дата показания;Источник\r\n")
        for n in range(accounts):
            file.write(f"{meter_id(n)}-10;{meter_id(n)};10.2026;100,000;25.10.2026;Оператор\r\n")
    return [meters, readings]


def load(run: Run, url: str, files: list[Path]) -> None:
    log = run.folder / f"import-{abs(hash(url))}.log"
    process = mp.start_import(mp.portal_environment(url), files, log)
    if process.wait() != 0:
        raise SystemExit(f"lk import failed:\n{log.read_text()[-3000:]}")


# --- Submissions against the main page ----------------------------------------------------------


class PostConnection(mp.Connection):
    """A keep-alive connection posting the same form again and again."""

    def __init__(self, port: int, path: str, cookie: str, body: str) -> None:
        super().__init__(port, path, cookie)
        data = body.encode()
        self.request = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: lk-bench\r\n"
            f"Origin: http://127.0.0.1:{port}\r\nCookie: {cookie}\r\n"
            f"Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(data)}\r\n\r\n"
        ).encode() + data


def browser_cookies(server: mp.Server, session: str) -> tuple[str, str]:
    """The cookies a browser sends after its first pages, and the form's CSRF token."""
    status, body, set_cookies = mp.fetch(server.port, "/home", session)
    if status != 200:
        raise SystemExit(f"{server.name}: GET /home answered {status}")
    cookie = "; ".join([session, *set_cookies])
    status, body, _set = mp.fetch(server.port, f"/readings?service={SERVICE}", cookie)
    found = CSRF_TOKEN.search(body.decode())
    if status != 200 or found is None:
        raise SystemExit(f"{server.name}: the readings page answered {status}")
    return cookie, found[1]


def submissions_against_main_page(
    run: Run, name: str, url: str, numbers: list[int]
) -> tuple[mp.Load, mp.Load, int]:
    """Best rounds of GET /home and POST /readings; pending readings per meter afterwards."""
    from lk_web.client import SESSION_COOKIE_SECURE

    options = run.options
    keys = [mp.account_key(n) for n in numbers]
    surnames = [mp.PEOPLE[n % len(mp.PEOPLE)][0] for n in numbers]
    sessions = mp.registered_sessions(mp.portal_environment(url), keys, surnames)
    port = mp.free_port()
    with ExitStack() as stack:
        server = stack.enter_context(
            mp.running(name, port, mp.lk_serve(port, options.workers),
                       mp.portal_environment(url, port), run.folder / f"server-{name}.log")
        )  # fmt: skip
        if name == "PostgreSQL":
            server.database_pid = mp.postmaster_pid()
        cookies, bodies = [], {}
        for n, raw in zip(numbers, sessions, strict=True):
            cookie, token = browser_cookies(server, f"{SESSION_COOKIE_SECURE}={raw}")
            cookies.append(cookie)
            field = quote(f"value:{meter_id(n)}|single", safe="")
            bodies[cookie] = f"_csrf_token={token}&service={SERVICE}&{field}=104%2C5"

        def post(port: int, path: str, cookie: str) -> PostConnection:
            return PostConnection(port, path, cookie, bodies[cookie])

        best: dict[str, mp.Load] = {}
        for round_number in range(options.rounds):
            for target, path, make in (("main page", "/home", None), ("submit", "/readings", post)):
                result = mp.drive(server, cookies, options.round_seconds,
                                  options.warmup_seconds, path, make)  # fmt: skip
                if target not in best or result.rate > best[target].rate:
                    best[target] = result
            run.step(f"{name} round {round_number + 1}: " + ", ".join(
                f"{t} {load.rate:.0f} req/s" for t, load in best.items()))  # fmt: skip
    wrong = {s: c for s, c in best["submit"].errors.items() if s != 303}
    if wrong or best["main page"].errors:
        raise SystemExit(f"{name}: unexpected answers {wrong} {best['main page'].errors}")
    return best["main page"], best["submit"], pending_per_meter(url, numbers)


def pending_per_meter(url: str, numbers: list[int]) -> int:
    """The most pending readings any benchmarked meter has (the index allows one)."""
    from sqlalchemy import func, select

    from lk_adapters.sqlalchemy.engine import make_engine
    from lk_adapters.sqlalchemy.tables import readings

    engine = make_engine(url)
    query = (
        select(func.count())
        .where(readings.c.status == "accepted", readings.c.meter_id.in_(map(meter_id, numbers)))
        .group_by(readings.c.meter_id)
    )
    with engine.connect() as connection:
        most = max(connection.execute(query).scalars(), default=0)
    engine.dispose()
    return most


# --- The export's memory --------------------------------------------------------------------------


def add_pending(url: str, start: int, stop: int) -> None:
    """Meters `start`…`stop` and a pending reading each, by the driver's bulk path."""
    from lk_adapters.sqlalchemy.engine import make_engine

    taken = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)

    def meters() -> Iterator[tuple[Any, ...]]:
        for n in range(start, stop):
            yield (meter_id(n), "common", SERVICE, str(n), 6, 3, "single", "1", False)

    def pending() -> Iterator[tuple[Any, ...]]:
        for n in range(start, stop):
            value = f"{n % 900000}.{n % 1000:03d}"
            yield (f"p{n}", meter_id(n), "single", 202611, value, taken, "portal", "accepted", "")

    meter_columns = "id, kind, service_code, serial, integer_digits, fraction_digits, zones, " \
        "house_code, archived"  # fmt: skip
    reading_columns = "id, meter_id, zone, period, value, taken_at, source, status, " \
        "rejection_reason"  # fmt: skip
    engine = make_engine(url)
    with engine.begin() as connection:
        driver = connection.connection.driver_connection
        assert driver is not None
        if engine.dialect.name == "postgresql":
            with driver.cursor() as cursor:
                for table, columns, rows in (("meters", meter_columns, meters()),
                                             ("readings", reading_columns, pending())):  # fmt: skip
                    with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                        for row in rows:
                            copy.write_row(row)
        else:
            driver.executemany(f"INSERT INTO meters ({meter_columns}) VALUES "
                               f"({', '.join('?' * 9)})", meters())  # fmt: skip
            driver.executemany(
                f"INSERT INTO readings ({reading_columns}) VALUES ({', '.join('?' * 9)})",
                ((*row[:5], f"{row[5]:%Y-%m-%d %H:%M:%S.%f}", *row[6:]) for row in pending()),
            )
    engine.dispose()


def export_peak(run: Run, url: str, period: str) -> tuple[int, float, int]:
    """Peak RSS (KiB) and seconds of `lk readings export`, and the rows it wrote."""
    target = run.folder / "export.csv"
    env = mp.portal_environment(url)
    started = time.perf_counter()
    process = subprocess.Popen(
        [mp.LK, "readings", "export", "--period", period, "--output", str(target)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    output = process.stdout.read().decode() if process.stdout else ""
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"lk readings export failed:\n{output[-3000:]}")
    with target.open(encoding="utf-8-sig") as file:
        rows = sum(1 for _ in file) - 1
    return usage.ru_maxrss, seconds, rows


def export_memory(run: Run, name: str, url: str) -> dict[str, tuple[int, float, int]]:
    from lk_adapters.sqlalchemy.engine import make_engine
    from lk_adapters.sqlalchemy.migrations import upgrade_database
    from lk_adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWorkFactory
    from lk_core.accounts.account import House
    from lk_core.ledger.services import Service

    options = run.options
    engine = make_engine(url)
    upgrade_database(engine)
    with SqlAlchemyUnitOfWorkFactory(engine)() as uow:
        uow.houses.upsert_many([House("1", "г. Тверь, ул. Советская, д. 1", Decimal(6400))])
        uow.services.upsert_many([Service(SERVICE, "Холодное водоснабжение", "м³")])
        uow.commit()
    engine.dispose()
    found = {"empty period": export_peak(run, url, "2026-10")}
    add_pending(url, 0, options.small)
    found[f"{options.small:,}"] = export_peak(run, url, PERIOD)
    add_pending(url, options.small, options.large)
    found[f"{options.large:,}"] = export_peak(run, url, PERIOD)
    run.step(
        f"{name} export: "
        + ", ".join(
            f"{label} → {rss / 1024:.0f} MiB in {s:.1f} s" for label, (rss, s, _n) in found.items()
        )
    )
    return found


# --- The run --------------------------------------------------------------------------------------


def parse_options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--accounts", type=int, default=2_000)
    parser.add_argument("--clients", type=int, default=16, help="concurrent connections")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--round-seconds", type=float, default=4.0)
    parser.add_argument("--warmup-seconds", type=float, default=1.5)
    parser.add_argument("--workers", type=int, default=mp.cores(), help="uvicorn workers")
    parser.add_argument("--small", type=int, default=200_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true", help="one short round, 20k/100k export")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    options = parser.parse_args()
    if options.quick:
        options.rounds, options.round_seconds = 1, 2.0
        options.small, options.large = 20_000, 100_000
    return options


class Run(mp.Run):
    def __init__(self, options: argparse.Namespace) -> None:
        super().__init__(options)
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder = Path(tempfile.mkdtemp(prefix="lk-bench-readings-"))


def main() -> None:
    options = parse_options()
    run = Run(options)
    try:
        run.step("writing billing files …")
        files = mp.write_billing_files(run.folder / "files", options.accounts, 3)
        files += write_meter_files(run.folder / "files", options.accounts)
        urls = {"SQLite": f"sqlite:///{run.folder / 'portal.sqlite3'}"}
        exports = {"SQLite": f"sqlite:///{run.folder / 'export.sqlite3'}"}
        if run.postgres:
            urls["PostgreSQL"] = run.database("portal")
            exports["PostgreSQL"] = run.database("export")
        numbers = [(i * options.accounts) // options.clients + 3 for i in range(options.clients)]
        pages: dict[str, tuple[mp.Load, mp.Load, int]] = {}
        for name, url in urls.items():
            load(run, url, files)
            run.step(f"{name}: {options.accounts:,} accounts with meters loaded")
            pages[name] = submissions_against_main_page(run, name, url, numbers)
        memory = {name: export_memory(run, name, url) for name, url in exports.items()}
    finally:
        run.close()
    report(options, pages, memory)


def report(
    options: argparse.Namespace,
    pages: dict[str, tuple[mp.Load, mp.Load, int]],
    memory: dict[str, dict[str, tuple[int, float, int]]],
) -> None:
    print()
    print(f"{'':28}{'req/s':>9}{'p50 ms':>8}{'p99 ms':>8}{'server CPU ms/req':>19}")
    for name, (home, submit, _most) in pages.items():
        for label, load in (("GET /home", home), ("POST /readings", submit)):
            cpu = 1000 * load.server_cpu / max(load.done, 1)
            print(f"{name + ' ' + label:<28}{load.rate:>9.1f}{load.percentile(0.5):>8.1f}"
                  f"{load.percentile(0.99):>8.1f}{cpu:>19.2f}")  # fmt: skip
    print(
        f"Best of {options.rounds} round(s) of {options.round_seconds:g} s, "
        f"{options.clients} connections, {options.workers} worker(s)."
    )
    print()
    print(f"{'lk readings export':<28}{'rows':>10}{'peak RSS MiB':>14}{'seconds':>9}{'rows/s':>10}")
    for name, found in memory.items():
        for label, (rss, seconds, rows) in found.items():
            print(f"{name + ' ' + label:<28}{rows:>10,}{rss / 1024:>14.1f}{seconds:>9.1f}"
                  f"{rows / seconds:>10,.0f}")  # fmt: skip
    print()
    for name, (home, submit, most) in pages.items():
        ratio = submit.rate / home.rate
        print(f"RESULT submissions_vs_main_page_{name.lower()} {ratio:.2f} goal {GOAL_RATIO} "
              f"{mp._goal(ratio >= GOAL_RATIO)}")  # fmt: skip
        print(f"RESULT pending_readings_per_meter_{name.lower()} {most} goal 1 "
              f"{mp._goal(most == 1)}")  # fmt: skip
    for name, found in memory.items():
        small, large = found[f"{options.small:,}"][0], found[f"{options.large:,}"][0]
        ratio = large / small
        print(f"RESULT export_peak_rss_{options.large // 1000}k_vs_{options.small // 1000}k_"
              f"{name.lower()} {ratio:.3f} goal {GOAL_RSS_RATIO} "
              f"{mp._goal(ratio <= GOAL_RSS_RATIO)}")  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
