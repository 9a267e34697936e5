"""Benchmark: successful sign-ins per second (F1) through the real server, against bare argon2.

Run with no arguments: `python bench/sign_in.py` (options: `--rounds`, `--round-seconds`,
`--clients`, `--workers`, `--accounts`, `--keep`; see `--help`).

A sign-in is slow on purpose: argon2id with m=19 MiB, t=2, p=1 (SECURITY.md). So the most
a server can do is as many password verifications per second as its cores allow, and
everything else it does per sign-in (HTTP, CSRF, throttle counters, the session, the audit
line, the database commit) should cost little beside it.

BASELINE is `argon2.PasswordHasher.verify` of a portal-made hash, with the parameters read
from that hash, run by as many processes as there are cores for the same time.
OURS is `lk serve` over the demo company in SQLite, with production settings (not demo
mode: HTTPS cookies and headers, the server itself speaking HTTP) and as many uvicorn
workers as cores, driven from 127.0.0.1 by `--clients` keep-alive connections: each takes the CSRF
token and cookie from the front page once, then POSTs /sign-in with a valid account
number and password again and again, as a fresh visitor (no session cookie), not
following the redirect. The connections are raw sockets served by one thread of this
process (bench/main_page.py's load generator), so that the client, which shares the
cores with the server, takes as little of them as it can; its CPU time is reported. The
accounts were registered beforehand through the use cases, against the same database
file. Only failed sign-ins are throttled, so successful ones are not slowed by the rate
limits.

The goal: OURS ≥ 0.85 × BASELINE.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import argon2

import main_page as mp
from lk_adapters.billing_files import CsvSourceFile
from lk_adapters.container import Container, build_container
from lk_adapters.demo import demo_accounts_to_try
from lk_adapters.settings import load_settings
from lk_adapters.sqlalchemy.migrations import upgrade_database
from lk_core.access.first_visit import (
    RegistrationForm,
    confirm_registration_link,
    first_visit,
    submit_registration,
)
from lk_core.access.registration import ConfirmationMethod
from lk_core.billing_import.kinds import FileKind

GOAL = 0.85
PASSWORD = "Липа-Ветер-2718"
CSRF_FIELD = re.compile(r'name="_csrf_token" value="([^"]+)"')
SIGNED_IN = 303  # the answer to a right pair: see other, /home
CONFIRM_LINK = re.compile(r"/register/confirm/([\w-]+)")
LK = str(Path(sys.executable).parent / "lk")


# --- The demo company, and accounts registered through the use cases ---


def portal_environment(folder: Path, port: int) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("LK_")},
        "LK_DEMO": "1",
        "LK_DATABASE_URL": f"sqlite:///{folder / 'lk.sqlite3'}",
        "LK_BASE_URL": f"http://127.0.0.1:{port}",
    }


def some_demo_accounts(folder: Path, how_many: int) -> list[tuple[str, str]]:
    """`how_many` (number, surname) pairs: the suggested ones, then more from the files."""
    pairs = list(demo_accounts_to_try(folder))
    source = CsvSourceFile(folder / f"{FileKind.ACCOUNTS.value}.csv", kind=FileKind.ACCOUNTS)
    number, payer = source.columns["account"], source.columns["payer"]
    for _line, fields in source.rows():
        if len(pairs) >= how_many:
            break
        pair = (fields[number].strip(), fields[payer].split()[0])
        if pair not in pairs:
            pairs.append(pair)
    return pairs[:how_many]


def register(container: Container, number: str, surname: str) -> None:
    """First visit, the form, the e-mailed link: what a resident does, minus the browser."""
    access = container.access()
    ip = "127.0.0.1"
    raw = first_visit(access, number, surname, ip=ip, current_session=None)
    digits = re.sub(r"\D", "", number)
    form = RegistrationForm(
        surname, f"bench{digits}@example.ru", PASSWORD, PASSWORD,
        consent=True, method=ConfirmationMethod.EMAIL,
    )  # fmt: skip
    started = submit_registration(access, raw, form, ip=ip, user_agent="bench")
    with container.uow_factory()() as uow:
        messages = uow.outbox.recent(20)
    link = next(
        found[1]
        for message in messages
        if message.email is not None
        and message.email.to == started.email
        and (found := CONFIRM_LINK.search(message.email.text))
    )
    confirm_registration_link(access, link, ip=ip, current_session=None)


def portal_hash(container: Container, key: str) -> str:
    with container.uow_factory()() as uow:
        registration = uow.registrations.get(key)
    assert registration is not None
    return registration.password_hash


# --- BASELINE: bare argon2 verifications in parallel processes ---


@dataclass
class Work:
    """Operations finished within a round, and the CPU time they took."""

    done: int = 0
    refused: int = 0
    cpu_seconds: float = 0.0
    client_cpu_seconds: float = 0.0


def _verify_until(stored_hash: str, start: float, stop: float) -> tuple[int, float]:
    hasher = argon2.PasswordHasher.from_parameters(argon2.extract_parameters(stored_hash))
    hasher.verify(stored_hash, PASSWORD)  # warm: the first call allocates
    while time.time() < start:
        time.sleep(0.001)
    done, cpu_before = 0, time.process_time()
    while time.time() < stop:
        hasher.verify(stored_hash, PASSWORD)
        done += time.time() <= stop  # only what finished in time
    return done, time.process_time() - cpu_before


def baseline(
    pool: concurrent.futures.ProcessPoolExecutor, stored_hash: str, workers: int, seconds: float
) -> Work:
    """Verifications done by `workers` processes in `seconds`."""
    start = time.time() + 0.3  # every process is up and warm before the clock starts
    stop = start + seconds
    jobs = [pool.submit(_verify_until, stored_hash, start, stop) for _ in range(workers)]
    results = [job.result() for job in jobs]
    return Work(done=sum(d for d, _ in results), cpu_seconds=sum(c for _, c in results))


# --- OURS: the real server under a load generator ---


class SignInConnection(mp.Connection):
    """A keep-alive connection posting the sign-in form again and again, as a visitor who
    has opened the front page (its CSRF cookie and token) and has no session yet."""

    def __init__(self, port: int, cookie: str, form: dict[str, str]) -> None:
        super().__init__(port, "/sign-in", cookie)
        body = urlencode(form).encode()
        self.request = (
            f"POST /sign-in HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: lk-bench\r\n"
            f"Origin: http://127.0.0.1:{port}\r\nCookie: {cookie}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode() + body


def visitor(port: int, account: str) -> tuple[str, dict[str, str]]:
    """The front page once, as a browser opens it: the cookie and the form to sign in with."""
    status, body, cookies = mp.fetch(port, "/", "")
    found = CSRF_FIELD.search(body.decode())
    if status != 200 or found is None:
        raise SystemExit(f"no CSRF token on the front page ({status})")
    return "; ".join(cookies), {"account": account, "password": PASSWORD, "_csrf_token": found[1]}


def load(server: mp.Server, accounts: list[str], clients: int, seconds: float) -> Work:
    """Every connection signing in for a warm-up and then `seconds`; the server's CPU
    time and the load generator's over the counted part."""
    visitors = [visitor(server.port, accounts[i % len(accounts)]) for i in range(clients)]
    forms = dict(visitors)
    done = mp.drive(
        server, [cookie for cookie, _form in visitors], seconds, warmup=0.5,
        make_connection=lambda port, _path, cookie: SignInConnection(port, cookie, forms[cookie]),
    )  # fmt: skip
    signed_in = done.errors[SIGNED_IN]  # `drive` tallies every answer but 200 by status
    return Work(
        done=signed_in, refused=done.done - signed_in,
        cpu_seconds=done.server_cpu, client_cpu_seconds=done.client_cpu,
    )  # fmt: skip


# --- The whole run ---


@dataclass
class Round:
    baseline: Work
    ours: Work


def registered_demo(
    folder: Path, port: int, accounts: int
) -> tuple[dict[str, str], list[str], str]:
    """The demo company in a new SQLite file, `accounts` of it registered; the environment,
    their numbers, and one of their password hashes."""
    env = portal_environment(folder, port)
    subprocess.run(
        [LK, "demo", "--folder", str(folder / "demo")], env=env, check=True,
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    container = build_container(load_settings(env))
    upgrade_database(container.engine())
    pairs = some_demo_accounts(folder / "demo", accounts)
    for number, surname in pairs:
        register(container, number, surname)
    stored_hash = portal_hash(container, re.sub(r"\D", "", pairs[0][0]))
    container.engine().dispose()
    # The server itself runs as in production: not demo mode, HTTPS cookies and headers.
    production = mp.portal_environment(env["LK_DATABASE_URL"], port)
    return production, [number for number, _ in pairs], stored_hash


def report(rounds: list[Round], seconds: float, workers: int, clients: int) -> None:
    def ms(cpu: float, count: int) -> float:
        return 1000 * cpu / max(count, 1)

    print()
    print(f"{'round':<6} {'BASELINE verify/s':>18} {'OURS sign-in/s':>15} {'ratio':>6}  "
          f"{'CPU ms: verify':>14} {'server':>7} {'client':>7}")  # fmt: skip
    for n, r in enumerate(rounds, 1):
        b, o = r.baseline.done / seconds, r.ours.done / seconds
        print(f"{n:<6} {b:>18.1f} {o:>15.1f} {o / b:>6.2f}  "
              f"{ms(r.baseline.cpu_seconds, r.baseline.done):>14.1f} "
              f"{ms(r.ours.cpu_seconds, r.ours.done):>7.1f} "
              f"{ms(r.ours.client_cpu_seconds, r.ours.done):>7.1f}")  # fmt: skip
    print(f"BASELINE: argon2-cffi PasswordHasher.verify in {mp.cores()} processes.")
    print(f"OURS: POST /sign-in → 303 /home, lk serve with {workers} uvicorn worker(s), "
          f"{clients} keep-alive connections from one thread of this process.")  # fmt: skip
    print("CPU ms: per verification (BASELINE), per sign-in in the server processes and in "
          "the load generator (OURS).")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--round-seconds", type=float, default=2.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=mp.cores(), help="uvicorn workers")
    parser.add_argument("--accounts", type=int, default=8)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    options = parser.parse_args()
    seconds = options.round_seconds

    folder = Path(tempfile.mkdtemp(prefix="lk-bench-sign-in-"))
    if options.keep:
        print(f"keeping {folder}")
    try:
        port = mp.free_port()
        print(f"cores: {mp.cores()}; server workers: {options.workers}; load clients: "
              f"{options.clients}; {options.rounds} rounds of {seconds:g} s, "
              "BASELINE and OURS in turn")  # fmt: skip
        print("loading the demo company and registering accounts…", flush=True)
        env, accounts, stored_hash = registered_demo(folder, port, options.accounts)
        parameters = argon2.extract_parameters(stored_hash)
        print(f"{len(accounts)} accounts; argon2{parameters.type.name.lower()} "
              f"m={parameters.memory_cost} KiB t={parameters.time_cost} "
              f"p={parameters.parallelism}", flush=True)  # fmt: skip

        rounds: list[Round] = []
        command = mp.lk_serve(port, options.workers)
        with (
            mp.running("OURS", port, command, env, folder / "server.log") as server,
            concurrent.futures.ProcessPoolExecutor(mp.cores()) as pool,
        ):
            # The two alternate, so that whatever else the machine runs weighs on both alike.
            for _ in range(options.rounds):
                verified = baseline(pool, stored_hash, mp.cores(), seconds)
                signed_in = load(server, accounts, options.clients, seconds)
                rounds.append(Round(verified, signed_in))

        report(rounds, seconds, options.workers, options.clients)
        refused = sum(r.ours.refused for r in rounds)
        if refused:
            print(f"refused or failed sign-ins: {refused} (see the server log)")
        # Best of the rounds on each side: the round least disturbed by anything else.
        base_rate = max(r.baseline.done for r in rounds) / seconds
        ours_rate = max(r.ours.done for r in rounds) / seconds
        ratio = ours_rate / base_rate
        print(f"best: BASELINE {base_rate:.1f}/s, OURS {ours_rate:.1f}/s")
        verdict = "met" if ratio >= GOAL and not refused else "missed"
        print(f"RESULT sign_in_ratio {ratio:.2f} goal {GOAL} {verdict}")
    finally:
        if not options.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
