"""Benchmark: does `lk` scale out? One host against two, on PostgreSQL: sign-ins by web
processes, and month-close receipts by `lk worker` processes.

Run with no arguments: `python bench/scale_out.py` (a few minutes; options: `--rounds`,
`--round-seconds`, `--clients`, `--accounts`, `--copies`; see `--help`). It needs the
PostgreSQL server named by `LK_TEST_POSTGRES_URL` (default: postgres@127.0.0.1:5432/test),
where it works in a schema of its own, dropped afterwards.

A HOST here is a process pinned to one core of its own (`taskset`), which is what a host
of one core is to the load balancer in front of it: so ONE is one `lk serve --workers 1`
pinned to core 0, and TWO is two of them, pinned to cores 0 and 1, on two ports, the
load generator's connections split evenly between them, over one database. The rounds
alternate ONE and TWO, so whatever else the machine runs weighs on both alike; the best
round of each is compared.

SIGN-INS. Each connection posts the sign-in form again and again as a fresh visitor
(bench/sign_in.py): argon2id, the throttle counters, the session, the audit line and a
commit, which is what a month-end morning asks of a portal. PostgreSQL and the load
generator share the machine's cores with the hosts, so on a 2-core machine TWO cannot
reach a full 2×: they take what the pinned processes leave.

RECEIPTS. The demo company's months are copied `--copies` times under new account
numbers (as bench/receipts.py does), so a month has about 299 × (copies + 1) accounts.
`lk period close` of one month runs while ONE (`lk worker` pinned to core 0) or TWO
(workers pinned to cores 0 and 1) are alive: it hands its batches to them through the
task queue (ADR 0057) and follows them; the receipts go to a folder, each month once.
Rounds alternate ONE and TWO, each on a month of its own.

GOALS (issue 18 §6): TWO ≥ 1.8 × ONE, for sign-ins and for receipts.

HOW BUSY. Each round prints how many cores the machine was busy (from /proc/stat) and
how much of that was the workers (from /proc/<pid>/stat), and the CPU a receipt took
in all. Months of about 3,000 accounts (`--copies 9`) with the copies' autovacuum still
to come gave 1.58–1.70: TWO kept the machine only 1.6 cores busy, and PostgreSQL's
cleaning-up of the copies ran in the rounds (0.3 core). Now the copies are vacuumed and
analysed before the first round and a month has about 9,000 accounts (`--copies 29`),
so the closing command's own start (about a second) weighs as in a real close (ADR 0076).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from lk_adapters.container import build_container
from lk_adapters.settings import load_settings
from lk_adapters.sqlalchemy.migrations import upgrade_database
from lk_core.kernel.periods import Period
from receipts import copy_accounts
from sign_in import Work, load, some_demo_accounts
from support.load import LK, Server, free_port, lk_serve, running
from support.portal import portal_environment, register

GOAL = 1.8
WORKER_START_SECONDS = 60
DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/test"


@contextmanager
def postgres_schema() -> Iterator[str]:
    """A URL whose connections see only a new schema, dropped afterwards."""
    url = os.environ.get("LK_TEST_POSTGRES_URL", DEFAULT_URL)
    schema = f"bench_scale_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        scoped = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
        yield scoped.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def demo_company(
    folder: Path, database_url: str, accounts: int
) -> tuple[dict[str, str], list[str]]:
    """The demo company loaded into the database, `accounts` of it registered; the
    production environment the hosts run with, and the registered account numbers."""
    import subprocess

    env = {
        **portal_environment(database_url),
        "LK_DEMO": "1",
        "LK_RECEIPTS_FOLDER": str(folder / "receipts"),
    }
    subprocess.run(
        [LK, "demo", "--folder", str(folder / "demo")], env=env, check=True,
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    container = build_container(load_settings(env))
    upgrade_database(container.engine())
    pairs = some_demo_accounts(folder / "demo", accounts)
    for number, surname in pairs:
        register(container, number, surname)
    container.engine().dispose()
    production = {k: v for k, v in env.items() if k != "LK_DEMO"}
    return production, [number for number, _ in pairs]


def host(
    n: int, core: int, port: int, env: dict[str, str], folder: Path
) -> AbstractContextManager[Server]:
    """`lk serve --workers 1` pinned to one core: a host of one core."""
    command = ["taskset", "--cpu-list", str(core), *lk_serve(port, 1)]
    env = {**env, "LK_BASE_URL": f"http://127.0.0.1:{port}"}
    return running(f"host {n}", port, command, env, folder / f"host{n}.log")


def sign_ins(servers: list[Server], accounts: list[str], clients: int, seconds: float) -> float:
    """Sign-ins per second by all the servers at once, the clients split evenly; any
    refused sign-in or a host that stops answering ends the run."""
    done: list[Work | BaseException | None] = [None] * len(servers)

    def drive_one(index: int) -> None:
        share = accounts[index :: len(servers)] or accounts
        try:
            done[index] = load(servers[index], share, clients // len(servers), seconds)
        except BaseException as error:  # SystemExit from the load generator, in a thread
            done[index] = error

    threads = [threading.Thread(target=drive_one, args=(i,)) for i in range(len(servers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    works = []
    for server, work in zip(servers, done, strict=True):
        if not isinstance(work, Work):
            raise SystemExit(f"{server.name}: {work!r}; see {server.log}")
        if work.refused:
            raise SystemExit(f"{server.name} refused {work.refused} sign-ins; see {server.log}")
        works.append(work)
    return sum(work.done for work in works) / seconds


# --- RECEIPTS: month close by one pinned worker against two ---


def closed_months(env: dict[str, str], copies: int, rounds: int) -> list[Period]:
    """The oldest closed months, 2 × `rounds` of them, each copied `copies` times."""
    container = build_container(load_settings(env))
    with container.uow_factory()(read_only=True) as uow:
        months = [p.period for p in uow.periods.list() if p.is_closed][: 2 * rounds]
    for month in months:
        copy_accounts(container.uow_factory(), month, copies)
    # What the copies left to autovacuum is done now, not in the middle of a round.
    engine = container.engine().execution_options(isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql("VACUUM ANALYZE")
    container.engine().dispose()
    return months


@contextmanager
def workers(env: dict[str, str], cores: list[int], folder: Path) -> Iterator[list[int]]:
    """`lk worker` pinned to each of `cores`, alive (heartbeating) before the block."""
    started = []
    for core in cores:
        log = (folder / f"worker-{core}.log").open("ab")
        command = ["taskset", "--cpu-list", str(core), LK, "worker", "--stalled-after", "10"]
        started.append(subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT))
        log.close()
    try:
        deadline = time.monotonic() + WORKER_START_SECONDS
        while live_workers(env) < len(cores):
            if any(process.poll() is not None for process in started):
                raise SystemExit(f"a worker exited: see {folder}")
            if time.monotonic() > deadline:
                raise SystemExit(f"workers not alive within {WORKER_START_SECONDS} s")
            time.sleep(0.2)
        yield [process.pid for process in started]  # taskset execs `lk`: the same pids
    finally:
        for process in started:
            process.terminate()
        for process in started:
            process.wait(timeout=60)


TICKS = os.sysconf("SC_CLK_TCK")


def process_cpu(pid: int) -> float:
    """CPU seconds of a process and of its children it has waited for."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return sum(int(tick) for tick in fields[11:15]) / TICKS  # utime stime cutime cstime


def machine_busy() -> float:
    """CPU seconds the whole machine has been busy (all cores, idle and iowait left out)."""
    with open("/proc/stat") as stat:
        _name, *ticks = stat.readline().split()
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(t) for t in ticks[:8])
    return (user + nice + system + irq + softirq + steal) / TICKS


def live_workers(env: dict[str, str]) -> int:
    """procrastinate's workers with a recent heartbeat."""
    engine = create_engine(env["LK_DATABASE_URL"])
    try:
        with engine.connect() as connection:
            return int(connection.execute(text(
                "SELECT count(*) FROM procrastinate_workers "
                "WHERE last_heartbeat > now() - interval '10 seconds'"
            )).scalar_one())  # fmt: skip
    finally:
        engine.dispose()


def close_month(env: dict[str, str], month: Period) -> tuple[int, float]:
    """`lk period close` of `month` by the workers alive: its receipts and seconds."""
    began = time.perf_counter()
    done = subprocess.run(
        [LK, "period", "close", str(month)], env=env, capture_output=True, text=True,
        check=False,
    )  # fmt: skip
    seconds = time.perf_counter() - began
    if done.returncode != 0:
        raise SystemExit(f"lk period close {month} failed:\n{done.stderr[-2000:]}")
    found = re.search(r"Счетов: (\d+)", done.stdout)
    if found is None or "lk worker" not in done.stderr:
        raise SystemExit(f"lk period close {month} did not run on the workers:\n{done.stderr}")
    return int(found[1]), seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--round-seconds", type=float, default=3.0)
    parser.add_argument("--clients", type=int, default=8, help="connections, split over hosts")
    parser.add_argument("--accounts", type=int, default=16)
    parser.add_argument("--copies", type=int, default=29, help="copies of each month's accounts")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    options = parser.parse_args()
    cores = sorted(os.sched_getaffinity(0))
    if len(cores) < 2:
        raise SystemExit("scale-out needs at least 2 cores to pin two hosts to")
    folder = Path(tempfile.mkdtemp(prefix="lk-bench-scale-out-"))
    try:
        with postgres_schema() as database_url:
            print("loading the demo company into PostgreSQL and registering accounts…", flush=True)
            env, accounts = demo_company(folder, database_url, options.accounts)
            ports = [free_port(), free_port()]
            with ExitStack() as stack:
                hosts = [
                    stack.enter_context(host(n, cores[n], port, env, folder))
                    for n, port in enumerate(ports)
                ]
                one_rates, two_rates = [], []
                for n in range(1, options.rounds + 1):
                    one = sign_ins(hosts[:1], accounts, options.clients, options.round_seconds)
                    two = sign_ins(hosts, accounts, options.clients, options.round_seconds)
                    one_rates.append(one)
                    two_rates.append(two)
                    print(f"round {n}: ONE {one:6.1f} sign-ins/s   TWO {two:6.1f} sign-ins/s   "
                          f"ratio {two / one:.2f}", flush=True)  # fmt: skip
            print("copying the accounts of the months to close…", flush=True)
            months = closed_months(env, options.copies, options.rounds)
            worker_env = {**env, "LK_DEMO": "1"}  # messages shown, not sent: no SMTP here
            one_closes, two_closes = [], []
            for n in range(options.rounds):
                with workers(worker_env, cores[:1], folder) as (pid,):
                    worker_before, busy_before = process_cpu(pid), machine_busy()
                    one_receipts, one_seconds = close_month(worker_env, months[2 * n])
                    worker_cpu = process_cpu(pid) - worker_before
                    other_cpu = machine_busy() - busy_before - worker_cpu
                    one_closes.append(one_receipts / one_seconds)
                with workers(worker_env, cores[:2], folder) as pids:
                    workers_before, busy_before = sum(map(process_cpu, pids)), machine_busy()
                    receipts, seconds = close_month(worker_env, months[2 * n + 1])
                    workers_cpu = sum(map(process_cpu, pids)) - workers_before
                    busy = machine_busy() - busy_before
                    two_closes.append(receipts / seconds)
                print(f"  ONE busy {(worker_cpu + other_cpu) / one_seconds:.2f} cores "
                      f"(worker {worker_cpu / one_seconds:.2f}), "
                      f"{(worker_cpu + other_cpu) / one_receipts * 1000:.2f} ms a receipt; "
                      f"TWO busy {busy / seconds:.2f} cores (workers {workers_cpu / seconds:.2f}), "
                      f"{busy / receipts * 1000:.2f} ms a receipt")  # fmt: skip
                print(f"round {n + 1}: ONE {one_closes[-1]:6.1f} receipts/s   "
                      f"TWO {two_closes[-1]:6.1f} receipts/s   "
                      f"ratio {two_closes[-1] / one_closes[-1]:.2f}", flush=True)  # fmt: skip
            print(f"hosts and workers pinned to cores {cores[0]} and {cores[1]}; "
                  f"{len(cores)} cores in all; best rounds:")  # fmt: skip
            for metric, ones, twos, unit in (
                ("receipts", one_closes, two_closes, "receipts/s"),
                ("sign_ins", one_rates, two_rates, "sign-ins/s"),
            ):
                ratio = max(twos) / max(ones)
                print(f"  {unit}: ONE {max(ones):.1f}, TWO {max(twos):.1f}")
                verdict = "met" if ratio >= GOAL else "missed"
                print(f"RESULT scale_out_{metric}_2_vs_1 {ratio:.2f} goal {GOAL} {verdict}")
    finally:
        if options.keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
