"""Benchmark: does `lk` scale out? One web process against two, on PostgreSQL.

Run with no arguments: `python bench/scale_out.py` (options: `--rounds`, `--round-seconds`,
`--clients`, `--accounts`; see `--help`). It needs the PostgreSQL server named by
`LK_TEST_POSTGRES_URL` (default: postgres@127.0.0.1:5432/test), where it works in a
schema of its own, dropped afterwards.

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

GOAL (issue 18 §6): TWO ≥ 1.8 × ONE.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import threading
import uuid
from collections.abc import Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from lk_adapters.container import build_container
from lk_adapters.settings import load_settings
from lk_adapters.sqlalchemy.migrations import upgrade_database
from sign_in import load, some_demo_accounts
from support.load import LK, Server, free_port, lk_serve, running
from support.portal import portal_environment, register

GOAL = 1.8
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
    """Sign-ins per second by all the servers at once, the clients split evenly."""
    done = [0] * len(servers)

    def drive_one(index: int) -> None:
        share = accounts[index :: len(servers)] or accounts
        done[index] = load(servers[index], share, clients // len(servers), seconds).done

    threads = [threading.Thread(target=drive_one, args=(i,)) for i in range(len(servers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--round-seconds", type=float, default=3.0)
    parser.add_argument("--clients", type=int, default=8, help="connections, split over hosts")
    parser.add_argument("--accounts", type=int, default=16)
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
            best_one, best_two = max(one_rates), max(two_rates)
            ratio = best_two / best_one
            print(f"best: ONE {best_one:.1f}/s, TWO {best_two:.1f}/s "
                  f"(hosts pinned to cores {cores[0]} and {cores[1]}; "
                  f"{len(cores)} cores in all)")  # fmt: skip
            verdict = "met" if ratio >= GOAL else "missed"
            print(f"RESULT scale_out_sign_ins_2_vs_1 {ratio:.2f} goal {GOAL} {verdict}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
