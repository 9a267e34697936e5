"""Benchmark: loading a ledger file of a million lines (F21), against a plain-SQLite baseline.

Run with no arguments: `python bench/import_ledger.py` (or `--rows N`, or `LK_BENCH_ROWS=N`).

BASELINE is the least any loader must do: the standard `csv` reader feeding
`sqlite3.executemany` with the raw strings, into the `ledger_lines` table of a fresh
database made by the project's migrations, in one transaction. OURS is the real path:
`load_billing_files` over `CsvSourceFile` and `SqlAlchemyUnitOfWorkFactory`, into a
fresh database that already holds the accounts, with every field parsed and checked.
Each OURS run is a child process, so its peak RSS is its own; the process that parses
the ledger for it (ADR 0010) is counted too: growth is the loader's growth plus the
parser's peak above the loader's starting size.
"""

from __future__ import annotations

import argparse
import csv
import json
import operator
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import zoneinfo
from pathlib import Path

SERVICES = ("SOD", "HVS", "GVS", "VOD", "EE", "OTP", "TKO", "KAP")
PERIODS = [f"{month:02d}.{year}" for year, month in [(2025, m) for m in range(11, 13)]] + [
    f"{month:02d}.2026" for month in range(1, 11)
]
LINES_PER_ACCOUNT = len(SERVICES) * len(PERIODS)
LEDGER_HEADER = (
    "Лицевой счёт;Период;Код услуги;Сальдо входящее;Начислено;Перерасчёт;Оплачено;"
    "Сальдо исходящее;Объём;Тариф;Основание перерасчёта"
)
# The ledger_lines columns fed from the file's fields (the stated closing is not stored).
TABLE_COLUMNS = (
    "account_key, period, service_code, opening, charged, recalculation, paid, "
    "volume, tariff, recalculation_reason"
)
RAW_FIELDS = operator.itemgetter(0, 1, 2, 3, 4, 5, 6, 8, 9, 10)

GOAL_RATIO, GOAL_SECONDS, GOAL_MEMORY = 0.5, 30.0, 1.5


def _rubles(kopecks: int) -> str:
    sign = "-" if kopecks < 0 else ""
    return f"{sign}{abs(kopecks) // 100},{abs(kopecks) % 100:02d}"


def write_inputs(folder: Path, rows: int, small_rows: int) -> dict[str, Path]:
    """Houses, services, accounts, and two ledger files: `rows` lines and `small_rows` lines."""
    accounts = -(-rows // LINES_PER_ACCOUNT)
    paths = {name: folder / f"{name}.csv" for name in ("houses", "services", "accounts")}
    paths["houses"].write_text(
        "Код дома;Адрес дома;Площадь дома\r\n1;г. Тверь, ул. Советская, д. 12;999999,00\r\n",
        encoding="utf-8",
    )
    paths["services"].write_text(
        "Код услуги;Наименование услуги\r\n"
        + "".join(f"{code};Услуга {code}\r\n" for code in SERVICES),
        encoding="utf-8",
    )
    with paths["accounts"].open("w", encoding="utf-8", newline="") as file:
        file.write("Лицевой счёт;Код дома;ФИО;Помещение;Комнат;Площадь помещения;Проживает\r\n")
        for n in range(accounts):
            file.write(f"{1_000_000 + n};1;Иванов Иван Иванович;{n + 1};2;54,30;2\r\n")
    paths["ledger"] = folder / "ledger.csv"
    paths["ledger_small"] = folder / "ledger_small.csv"
    with (
        paths["ledger"].open("w", encoding="utf-8", newline="") as full,
        paths["ledger_small"].open("w", encoding="utf-8", newline="") as small,
    ):
        full.write(LEDGER_HEADER + "\r\n")
        small.write(LEDGER_HEADER + "\r\n")
        written = 0
        for n in range(accounts):
            account = 1_000_000 + n
            for s, service in enumerate(SERVICES):
                opening = (n * 7919 + s * 104_729) % 900_000
                for period in PERIODS:
                    if written == rows:
                        break
                    charged = 50_000 + (n * 31 + s * 977 + written) % 400_000
                    recalculation = -1234 if written % 97 == 0 else 0
                    paid = opening if written % 11 else 0
                    closing = opening + charged + recalculation - paid
                    volume = f"{(written % 90_000) // 1000},{written % 1000:03d}"
                    tariff = f"{40 + s},{(s * 37) % 100:02d}"
                    reason = "Перерасчёт по акту" if recalculation else ""
                    line = (
                        f"{account};{period};{service};{_rubles(opening)};{_rubles(charged)};"
                        f"{_rubles(recalculation)};{_rubles(paid)};{_rubles(closing)};"
                        f"{volume};{tariff};{reason}\r\n"
                    )
                    full.write(line)
                    if written < small_rows:
                        small.write(line)
                    written += 1
                    opening = closing
    return paths


def fresh_database(path: Path) -> None:
    """A database with the project's schema, made by its migrations."""
    from lk_adapters.sqlalchemy.engine import make_engine
    from lk_adapters.sqlalchemy.migrations import upgrade_database

    engine = make_engine(f"sqlite:///{path}")
    upgrade_database(engine)
    engine.dispose()


def run_baseline(ledger: Path, database: Path) -> tuple[int, float]:
    """The raw strings of every line into ledger_lines, by csv + executemany; rows, seconds."""
    connection = sqlite3.connect(database, isolation_level=None)
    # The same settings the project's engine gives every SQLite connection.
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = NORMAL")
    started = time.perf_counter()
    with ledger.open(encoding="utf-8", newline="") as file:
        reader = csv.reader(file, delimiter=";")
        next(reader)
        connection.execute("BEGIN")
        connection.executemany(
            f"INSERT INTO ledger_lines ({TABLE_COLUMNS}) VALUES ({', '.join('?' * 10)})",
            map(RAW_FIELDS, reader),
        )
        connection.execute("COMMIT")
    seconds = time.perf_counter() - started
    rows = connection.execute("SELECT count(*) FROM ledger_lines").fetchone()[0]
    connection.close()
    return rows, seconds


def load_files(database: Path, files: list[Path]) -> dict[str, float]:
    """Our loader over these files; what it took, and this process's RSS around it."""
    from lk_adapters.billing_files import CsvSourceFile
    from lk_adapters.sqlalchemy.engine import make_engine
    from lk_adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWorkFactory
    from lk_core.billing_import.loader import load_billing_files
    from lk_core.kernel.runtime import no_progress

    engine = make_engine(f"sqlite:///{database}")
    factory = SqlAlchemyUnitOfWorkFactory(engine)
    sources = [CsvSourceFile(path) for path in files]
    rss_before = _current_rss_kib()
    started = time.perf_counter()
    report = load_billing_files(
        factory, sources, tz=zoneinfo.ZoneInfo("Europe/Moscow"), progress=no_progress()
    )
    seconds = time.perf_counter() - started
    if not report.loaded:
        raise SystemExit(f"load failed: {[str(p) for p in report.problems[:5]]}")
    engine.dispose()
    # The parsing child has been waited for: its peak is among this process's children's.
    parser_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "rows": sum(report.rows.values()),
        "seconds": seconds,
        "rss_before_kib": rss_before,
        "rss_peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "parser_rss_peak_kib": parser_peak,
    }


def growth_mib(run: dict[str, float]) -> float:
    """What a run added to memory: the loader's growth, and the parser's above the start."""
    parser = max(run.get("parser_rss_peak_kib", 0) - run["rss_before_kib"], 0)
    return (run["rss_peak_kib"] - run["rss_before_kib"] + parser) / 1024


def _current_rss_kib() -> int:
    with open("/proc/self/statm") as statm:
        resident_pages = int(statm.read().split()[1])
    return resident_pages * os.sysconf("SC_PAGE_SIZE") // 1024


def run_ours_in_child(
    database: Path, files: list[Path], *, profile: Path | None = None
) -> dict[str, float]:
    command = [sys.executable, __file__, "--child", str(database), *map(str, files)]
    if profile is not None:
        command[2:2] = ["--profile", str(profile)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(result.stderr or result.stdout)
    figures: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
    return figures


def prepared_database(folder: Path, name: str, template: Path) -> Path:
    """A copy of a database file, with everything of its write-ahead log in it."""
    connection = sqlite3.connect(template)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    path = folder / name
    shutil.copyfile(template, path)
    return path


def _goal(met: bool) -> str:
    return "met" if met else "missed"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=int(os.environ.get("LK_BENCH_ROWS", 1_000_000)))
    parser.add_argument("--small-rows", type=int, default=None, help="default: rows / 5")
    parser.add_argument(
        "--repeat",
        type=int,
        default=int(os.environ.get("LK_BENCH_REPEAT", 3)),
        help="time each side this many times and keep the fastest (a busy machine only slows)",
    )
    parser.add_argument("--profile", type=Path, default=None, help="cProfile OURS to this file")
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        database, *files = map(Path, args.child)
        if args.profile:
            import cProfile

            with cProfile.Profile() as profiler:
                figures = load_files(database, files)
            profiler.dump_stats(args.profile)
        else:
            figures = load_files(database, files)
        print(json.dumps(figures))
        return

    rows = args.rows
    small_rows = args.small_rows or max(rows // 5, 1)
    folder = Path(tempfile.mkdtemp(prefix="lk-bench-"))
    try:
        print(f"Generating {rows:,} ledger lines (and {small_rows:,}) in {folder} …", flush=True)
        paths = write_inputs(folder, rows, small_rows)
        empty = folder / "empty.sqlite3"
        fresh_database(empty)
        with_accounts = prepared_database(folder, "with_accounts.sqlite3", empty)
        run_ours_in_child(with_accounts, [paths["houses"], paths["services"], paths["accounts"]])

        baseline_runs: list[tuple[int, float]] = []
        ours_runs: list[dict[str, float]] = []
        for attempt in range(max(args.repeat, 1)):
            baseline_db = prepared_database(folder, f"baseline{attempt}.sqlite3", empty)
            baseline_runs.append(run_baseline(paths["ledger"], baseline_db))
            ours_db = prepared_database(folder, f"ours{attempt}.sqlite3", with_accounts)
            profile = args.profile if attempt == 0 else None
            ours_runs.append(run_ours_in_child(ours_db, [paths["ledger"]], profile=profile))
            baseline_db.unlink()
            ours_db.unlink()
        small = run_ours_in_child(
            prepared_database(folder, "small.sqlite3", with_accounts), [paths["ledger_small"]]
        )
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)

    base_rows, base_seconds = min(baseline_runs, key=operator.itemgetter(1))
    ours = min(ours_runs, key=operator.itemgetter("seconds"))
    base_rate = base_rows / base_seconds
    ours_rate = ours["rows"] / ours["seconds"]
    ratio = ours_rate / base_rate
    growth_full = growth_mib(ours)
    growth_small = growth_mib(small)
    memory_ratio = growth_full / growth_small if growth_small > 0 else float("inf")
    per_million = ours["seconds"] * 1_000_000 / ours["rows"]

    print()
    print(
        f"{'':34}{'rows':>12}{'seconds':>10}{'rows/s':>12}"
        f"{'peak RSS':>11}{'parser':>9}{'growth':>10}"
    )
    print(f"{'BASELINE csv + sqlite3':34}{base_rows:>12,}{base_seconds:>10.2f}{base_rate:>12,.0f}")
    for label, run in ((f"OURS {rows:,} lines", ours), (f"OURS {small_rows:,} lines", small)):
        print(
            f"{label:34}{run['rows']:>12,}{run['seconds']:>10.2f}"
            f"{run['rows'] / run['seconds']:>12,.0f}"
            f"{run['rss_peak_kib'] / 1024:>9.0f}MB"
            f"{run.get('parser_rss_peak_kib', 0) / 1024:>7.0f}MB{growth_mib(run):>8.1f}MB"
        )
    print()
    print(f"(fastest of {len(ours_runs)} runs each; OURS in a child process of its own)")
    print("BASELINE seconds, each run: " + ", ".join(f"{s:.2f}" for _r, s in baseline_runs))
    print("OURS seconds, each run:     " + ", ".join(f"{r['seconds']:.2f}" for r in ours_runs))
    print(f"OURS / BASELINE rows per second: {ratio:.2f}")
    print(f"OURS seconds per 1,000,000 lines: {per_million:.1f}")
    print(f"OURS peak RSS growth, {rows:,} vs {small_rows:,} lines: {memory_ratio:.2f}×")
    print()
    print(f"RESULT import_ratio {ratio:.2f} goal {GOAL_RATIO} {_goal(ratio >= GOAL_RATIO)}")
    print(
        f"RESULT import_1m_seconds {per_million:.1f} goal {GOAL_SECONDS:.0f} "
        f"{_goal(per_million <= GOAL_SECONDS)}"
    )
    print(
        f"RESULT import_memory_growth_ratio {memory_ratio:.2f} goal {GOAL_MEMORY} "
        f"{_goal(memory_ratio <= GOAL_MEMORY)}"
    )


if __name__ == "__main__":
    main()
