"""Benchmark: service requests (F30, F32) — the CPU cost of creating a request with one
5 MB photo, and the dispatcher's queue over 100,000 requests as the desk serves it.

Run with no arguments: `python bench/requests.py` (about 3 minutes on 2 cores; `--quick`
scales it down to about a minute; `--requests`, `--rounds`, `--round-seconds`, `--clients`,
`--workers`, `--photo-rounds`, `--no-postgres`, `--profile DIR`: see `--help`). Servers,
files and the PostgreSQL database it makes are removed at the end.

The goals (F30's performance requirement, issue 20):
- creating a request with one 5 MB photo costs at most 300 ms of CPU in process, the
  photo's checks, re-encoding and thumbnail included: `create_request` over a SQLite file
  and the folder photo store, timed by `time.process_time` (this process's CPU, all
  threads), the median of `--photo-rounds`;
- the dispatcher's queue over 100,000 requests, filtered and paged, answers with a p99
  under 50 ms at 8 connections, on SQLite and on PostgreSQL: `GET /office/requests` from
  `lk serve` (production settings, `--workers` processes) on 127.0.0.1, 8 keep-alive
  connections each signed in as a dispatcher of its own, every request a filter the
  desk offers (a house's open requests, overdue, a category's open ones, open
  emergencies, a house's overdue ones, every status) on one of its first ten pages.

DATA. 50 houses, 20,000 accounts and `--requests` requests spread over houses,
categories, statuses (15 % новая, 10 % принята, 15 % в работе, 50 % выполнена,
10 % отклонена), 5 % emergencies, created over the 90 days before the run with deadlines
2 hours to 5 days after, written straight into the table. Eight dispatchers are created
by `create_staff` and signed in by the desk's own use cases: password, then the TOTP code
pyotp computes from the key the first sign-in enrols, as an authenticator app would.

LOAD and BASELINE as in bench/main_page.py (bench/support/load.py): one thread drives the
connections with raw sockets, spread evenly over the server's workers; the targets take
turns for `--rounds` rounds and each one's best round (by requests per second) is
reported. BASELINE, for context only (no goal), is main_page.py's bare Litestar app (no
middleware, database or session) rendering a template from constants padded to the
queue page's size: what uvicorn, Litestar and Jinja cost before any of our work. Then one
round with a single connection per database: the page's own latency, without queueing.

THE PHOTO: 4032×3024 (a 12-megapixel phone camera), smooth gradients with grain, saved
as a JPEG whose quality is chosen to make it 5 MB ± 10 %.

THE NAME. This script is `bench/requests.py`, as issue 20 names it. Run as a script, its
folder comes first on `sys.path`, so in a process started from bench/ `import requests`
finds this file, not the HTTP library. Checked when it was named so (issue 20): none of
the scripts in bench/, nor anything they or `support/` import (SQLAlchemy, psycopg,
Litestar, uvicorn, httpx, Pillow, argon2, pyotp, the project), imports the library; the
servers the benches start run `lk` with its own path. A bench that comes to need the
`requests` library must rename this file (it was `service_requests.py` for that reason).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import itertools
import os
import random
import shutil
import signal
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pyotp
from PIL import Image, ImageFilter

import main_page
from lk_adapters.container import build_container
from lk_adapters.photos import FilesystemPhotoStore, PillowPhotoProcessor
from lk_adapters.settings import load_settings
from lk_adapters.sqlalchemy.engine import make_engine
from lk_adapters.sqlalchemy.migrations import upgrade_database
from lk_adapters.sqlalchemy.tables import service_requests
from lk_adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWorkFactory
from lk_core.accounts.account import Account, AccountNumber, House
from lk_core.requests import (
    PhotoUpload,
    RequestForm,
    RequestPolicy,
    RequestsContext,
    RequestStatus,
    create_request,
)
from lk_core.staff.administration import create_staff
from lk_core.staff.members import StaffRole
from lk_core.staff.sign_in import (
    enter_enrolment_code,
    second_factor_step,
    sign_in_with_code,
    sign_in_with_password,
)
from lk_web.office.edge import STAFF_COOKIE_PLAIN, STAFF_COOKIE_SECURE
from support.load import (
    Connection,
    Load,
    Server,
    cores,
    drive,
    fetch,
    free_port,
    lk_serve,
    postmaster_pid,
    running,
)
from support.portal import portal_environment

POSTGRES_URL = os.environ.get("LK_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
GOAL_CREATE_CPU_MS = 300
GOAL_QUEUE_P99_MS = 50.0
PHOTO_BYTES = 5 * 1024 * 1024
HOUSES = 50
ACCOUNTS = 20_000
CATEGORIES = ("plumbing", "electrics", "lift", "cleaning", "yard", "other")
QUEUE = "/office/requests"
PAGES = 10
STAFF_PASSWORD = "диспетчерская смена 7"
# The requests' times are the run's: the server's clock is the real one, so "overdue"
# means what it will mean to the dispatcher.
NOW = datetime.now(UTC).replace(microsecond=0)


class Clock:
    def now(self) -> datetime:
        return NOW


# --- Creating a request with a photo, in process ----------------------------------------------


def a_5_mb_photo() -> bytes:
    """A phone-sized JPEG of about 5 MB: gradients with grain, as a real photo compresses."""
    size = (4032, 3024)
    gradient = Image.linear_gradient("L").resize(size)
    grain = Image.effect_noise(size, 40).filter(ImageFilter.GaussianBlur(0.6))
    picture = Image.merge("RGB", (gradient, grain, gradient.rotate(180)))
    best = b""
    for quality in (70, 75, 80, 85, 88, 90, 92, 94, 95, 96):
        out = io.BytesIO()
        picture.save(out, format="JPEG", quality=quality)
        best = out.getvalue()
        if len(best) >= PHOTO_BYTES * 0.97:
            break
    return best


def prepared(url: str, accounts: int) -> SqlAlchemyUnitOfWorkFactory:
    engine = make_engine(url)
    upgrade_database(engine)
    factory = SqlAlchemyUnitOfWorkFactory(engine)
    with factory() as uow:
        uow.houses.upsert_many(
            [House(f"H{h:03}", f"ул. Тверская, {h}", Decimal(1000)) for h in range(HOUSES)]
        )
        uow.accounts.upsert_from_billing(
            [
                Account(AccountNumber(str(1_000_000 + i)), f"H{i % HOUSES:03}",
                        "Иванов Иван", str(i), 2, Decimal(50), 2)
                for i in range(accounts)
            ]
        )  # fmt: skip
        uow.commit()
    return factory


def context(factory: SqlAlchemyUnitOfWorkFactory, folder: Path) -> RequestsContext:
    return RequestsContext(
        factory,  # type: ignore[arg-type]
        Clock(),
        FilesystemPhotoStore(folder),
        PillowPhotoProcessor(),
        policy=RequestPolicy(per_account_per_day=1_000_000),
    )


def create_cpu_ms(ctx: RequestsContext, photo: bytes, rounds: int) -> list[float]:
    """CPU milliseconds of each `create_request` with the photo (after one warm-up)."""
    form = RequestForm("plumbing", "Течёт стояк в ванной", "+79123456789", "после 18:00")
    create_request(ctx, "1000000", form, [PhotoUpload("IMG_0001.jpg", io.BytesIO(photo))])
    spent = []
    for _ in range(rounds):
        upload = PhotoUpload("IMG_0001.jpg", io.BytesIO(photo))
        started = time.process_time()
        create_request(ctx, "1000000", form, [upload])
        spent.append((time.process_time() - started) * 1000)
    return spent


# --- The queue's data, dispatchers and the pages they ask for ---------------------------------


def fill_requests(factory: SqlAlchemyUnitOfWorkFactory, count: int, accounts: int) -> None:
    """`count` requests spread over houses, categories, statuses and 90 days."""
    rng = random.Random(30)
    statuses = [s.value for s in RequestStatus]
    weights = [15, 10, 15, 50, 10]
    rows: list[dict[str, Any]] = []
    with factory() as uow:  # after the requests made with photos (ADR 0075)
        first = uow.service_requests.next_number()
    for i in range(count):
        account = rng.randrange(accounts)
        created = NOW - timedelta(minutes=rng.randrange(60 * 24 * 90))
        status = rng.choices(statuses, weights)[0]
        rows.append({
            "id": uuid.UUID(int=rng.getrandbits(128)).hex,
            "number": first + i,
            "account_key": str(1_000_000 + account),
            "house_code": f"H{account % HOUSES:03}",
            "category": CATEGORIES[i % len(CATEGORIES)],
            "emergency": rng.random() < 0.05,
            "description": "Течёт кран на кухне",
            "visit_window": "",
            "contact_phone": "+79123456789",
            "created_at": created,
            "due_at": created + timedelta(hours=rng.choice((2, 8, 16, 48, 120))),
            "status": status,
            "executor": "",
            "reject_reason": "Не в зоне ответственности" if status == "rejected" else "",
            "completed_at": created + timedelta(days=1) if status == "done" else None,
            "rating": None,
            "rating_comment": "",
            "updated_at": created,
            "version": 1,
        })  # fmt: skip
    engine = factory.engine
    with engine.begin() as connection:
        for start in range(0, len(rows), 10_000):
            connection.execute(service_requests.insert(), rows[start : start + 10_000])
    if engine.dialect.name == "postgresql":  # as autovacuum would soon after a load
        with engine.begin() as connection:
            # Requests made after these continue their numbers (ADR 0075).
            connection.exec_driver_sql(
                f"SELECT setval('service_request_numbers', {first + count}, false)"
            )
            connection.exec_driver_sql("ANALYZE service_requests")


def signed_in_dispatchers(env: dict[str, str], count: int) -> list[str]:
    """`count` dispatchers created and signed in with password and TOTP code, each by the
    desk's use cases; their cookies."""
    settings = load_settings(env)
    container = build_container(settings)
    staff = container.staff()
    name = STAFF_COOKIE_SECURE if settings.uses_https else STAFF_COOKIE_PLAIN
    cookies = []
    for i in range(count):
        login = f"dispatcher{i + 1}"
        made = create_staff(staff, "operator:bench", login, f"Диспетчер {i + 1}",
                            StaffRole.DISPATCHER, STAFF_PASSWORD, STAFF_PASSWORD)  # fmt: skip
        ip = f"198.51.100.{i + 1}"
        pending = sign_in_with_password(staff, login, STAFF_PASSWORD, ip=ip, current_session=None)
        enrolling = enter_enrolment_code(staff, pending, made.enrolment_code, ip=ip)
        secret = second_factor_step(staff, enrolling).enrolment_secret
        assert secret is not None, "the enrolment code shows the new key"
        code = pyotp.TOTP(secret).at(staff.clock.now())
        signed_in = sign_in_with_code(staff, enrolling, code, ip=ip)
        cookies.append(f"{name}={signed_in.session_id}")
    container.engine().dispose()
    return cookies


def queue_paths(rng: random.Random, count: int) -> list[str]:
    """Addresses of the queue as the desk's filter form and page links write them."""
    paths = []
    for _ in range(count):
        house = f"H{rng.randrange(HOUSES):03}"
        where = rng.choice([
            {"house": house},
            {"overdue": "yes"},
            {"category": rng.choice(CATEGORIES)},
            {"emergency": "yes"},
            {"house": house, "overdue": "yes"},
            {"status": "all"},
        ])  # fmt: skip
        page = rng.randrange(PAGES) + 1
        paths.append(f"{QUEUE}?{urlencode(where | ({'page': page} if page > 1 else {}))}")
    return paths


class QueueConnection(Connection):
    """A keep-alive connection asking for one of the queue's addresses at random each time."""

    def __init__(self, port: int, cookie: str, paths: list[str], seed: int) -> None:
        super().__init__(port, paths[0], cookie)
        first = f"GET {paths[0]} ".encode()
        self.requests = [self.request.replace(first, f"GET {p} ".encode(), 1) for p in paths]
        self.rng = random.Random(seed)

    def send(self, now: float) -> None:
        self.request = self.rng.choice(self.requests)
        super().send(now)


def queue_connections(paths: list[str]) -> Callable[[int, str, str], QueueConnection]:
    seeds = itertools.count()
    return lambda port, _path, cookie: QueueConnection(port, cookie, paths, next(seeds))


# --- The run ---------------------------------------------------------------------------------


def postgres_database(name: str) -> str | None:
    try:
        return main_page.create_database(name)
    except Exception as error:
        print(f"PostgreSQL not used: {error}", file=sys.stderr)
        return None


def parse_options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--photo-rounds", type=int, default=10, help="requests made with a photo")
    parser.add_argument("--rounds", type=int, default=None, help="default 3 (1 with --quick)")
    parser.add_argument("--round-seconds", type=float, default=None, help="default 5 (3)")
    parser.add_argument("--warmup-seconds", type=float, default=1.5)
    parser.add_argument("--clients", type=int, default=8, help="concurrent connections")
    parser.add_argument("--workers", type=int, default=cores(), help="uvicorn workers")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--profile", type=Path, default=None, help="py-spy the servers here")
    parser.add_argument("--quick", action="store_true")
    options = parser.parse_args()
    if options.quick:
        options.photo_rounds = 3
    options.rounds = options.rounds or (1 if options.quick else 3)
    options.round_seconds = options.round_seconds or (3.0 if options.quick else 5.0)
    return options


def _goal(met: bool) -> str:
    return "met" if met else "missed"


def _terminate(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def step(started: float, text: str) -> None:
    print(f"[{time.monotonic() - started:4.0f} s] {text}", flush=True)


def checked_cookies(server: Server, cookies: list[str], paths: list[str]) -> tuple[list[str], int]:
    """Each connection's cookies after its first page (the CSRF cookie a browser would send
    back), every distinct filter's first page checked; the largest page's bytes."""
    largest = 0
    for i, cookie in enumerate(cookies):
        status, body, set_cookies = fetch(server.port, paths[i], cookie)
        text = body.decode()
        if status != 200 or "Заявки жителей" not in text or f"{QUEUE}/" not in text:
            raise SystemExit(f"{server.name}: GET {paths[i]} answered {status}:\n{text[:2000]}")
        cookies[i] = "; ".join([cookie, *set_cookies])
        largest = max(largest, len(body))
    return cookies, largest


def main() -> None:
    options = parse_options()
    signal.signal(signal.SIGTERM, _terminate)
    started = time.monotonic()
    folder = Path(tempfile.mkdtemp(prefix="lk-bench-requests-"))
    pg_name = f"lk_bench_requests_{os.getpid()}"
    print("load average before the run: " + ", ".join(f"{v:.1f}" for v in os.getloadavg()))
    print(f"cores: {cores()}; server workers: {options.workers}; connections: "
          f"{options.clients}; {options.rounds} round(s) of {options.round_seconds:g} s per "
          f"target; {options.requests:,} requests")  # fmt: skip
    paths = queue_paths(random.Random(20), 400)
    rounds: list[dict[str, Load]] = []
    profiles: dict[str, tuple[Load, Path]] = {}
    alone: dict[str, Load] = {}
    try:
        step(started, "making a 5 MB photo …")
        photo = a_5_mb_photo()
        urls = {"SQLite": f"sqlite:///{folder / 'lk.sqlite3'}"}
        if not options.no_postgres and (pg := postgres_database(pg_name)) is not None:
            urls["PostgreSQL"] = pg
        create: list[float] = []
        cookies: dict[str, list[str]] = {}
        for name, url in urls.items():
            factory = prepared(url, ACCOUNTS)
            if name == "SQLite":
                step(started, f"photo {len(photo) / 1024 / 1024:.1f} MB; create_request × "
                     f"{options.photo_rounds} …")  # fmt: skip
                create = create_cpu_ms(context(factory, folder / "photos"), photo,
                                       options.photo_rounds)  # fmt: skip
            step(started, f"{name}: filling {options.requests:,} requests …")
            fill_requests(factory, options.requests, ACCOUNTS)
            factory.engine.dispose()
            cookies[name] = signed_in_dispatchers(portal_environment(url), options.clients)
        step(started, f"{options.clients} dispatchers signed in with TOTP on each database")
        with ExitStack() as stack:
            servers: dict[str, Server] = {}
            page_bytes: dict[str, int] = {}
            for name, url in urls.items():
                port = free_port()
                servers[name] = stack.enter_context(running(
                    name, port, lk_serve(port, options.workers), portal_environment(url, port),
                    folder / f"server-{name}.log",
                ))  # fmt: skip
                if name == "PostgreSQL":
                    servers[name].database_pid = postmaster_pid()
                cookies[name], page_bytes[name] = checked_cookies(
                    servers[name], cookies[name], paths
                )
            servers = {"BASELINE": start_baseline(stack, folder, options, max(page_bytes.values())),
                       **servers}  # fmt: skip
            cookies["BASELINE"] = cookies["SQLite"]  # requests of the same size; it reads none
            step(started, "queue pages up to " + ", ".join(
                f"{n} {b:,} bytes" for n, b in page_bytes.items()
            ) + f"; {options.clients} connections")  # fmt: skip
            for r in range(options.rounds):
                rounds.append({})
                for name, server in servers.items():
                    load = round_of(server, cookies[name], paths, options)
                    rounds[-1][name] = load
                    errors = f"  errors {dict(load.errors)}" if load.errors else ""
                    step(started, f"round {r + 1} {name:<10} {load.rate:7.1f} req/s  p50 "
                         f"{load.percentile(0.5):6.1f} ms  p99 {load.percentile(0.99):6.1f} ms"
                         f"  connections per worker {server.split}{errors}")  # fmt: skip
            for name, server in servers.items():  # the page's own latency, no queueing
                if name != "BASELINE":
                    alone[name] = round_of(server, cookies[name][:1], paths, options)
            if options.profile is not None:
                options.profile.mkdir(parents=True, exist_ok=True)
                for name, server in servers.items():
                    if name != "BASELINE":
                        profiles[name] = profile(server, cookies[name], paths, options)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        if not options.no_postgres:
            with contextlib.suppress(Exception):  # nothing was made
                main_page.drop_database(pg_name)
    report(options, create, rounds, alone, profiles)


def start_baseline(
    stack: ExitStack, folder: Path, options: argparse.Namespace, page_bytes: int
) -> Server:
    """main_page.py's bare app, serving a page of the queue page's size at /home."""
    rendered = main_page.write_baseline_template(folder / "baseline", page_bytes)
    port = free_port()
    command = [sys.executable, main_page.__file__, "--serve-baseline", str(port),
               "--workers", str(options.workers)]  # fmt: skip
    env = {**os.environ, main_page.BASELINE_DIR_VARIABLE: str(folder / "baseline")}
    server = stack.enter_context(
        running("BASELINE", port, command, env, folder / "server-BASELINE.log")
    )
    status, body, _set = fetch(port, "/home", "")
    if status != 200 or len(body) != rendered:
        raise SystemExit(f"BASELINE answered {status} with {len(body)} bytes, not {rendered}")
    return server


def round_of(server: Server, cookies: list[str], paths: list[str], options: Any) -> Load:
    if server.name == "BASELINE":
        return drive(server, cookies, options.round_seconds, options.warmup_seconds)
    return drive(server, cookies, options.round_seconds, options.warmup_seconds,
                 path=QUEUE, make_connection=queue_connections(paths))  # fmt: skip


def profile(
    server: Server, cookies: list[str], paths: list[str], options: Any
) -> tuple[Load, Path]:
    """A round (not counted) under py-spy, as main_page.py's `profile_round`."""
    original = main_page.drive
    main_page.PY_SPY = shutil.which("py-spy") or main_page.PY_SPY  # the venv's, or on PATH
    main_page.drive = lambda server, cookies, seconds, warmup: drive(  # type: ignore[assignment]
        server, cookies, seconds, warmup, path=QUEUE, make_connection=queue_connections(paths)
    )
    try:
        return main_page.profile_round(server, cookies, options.round_seconds, options.profile)
    finally:
        main_page.drive = original


def report(
    options: argparse.Namespace,
    create: list[float],
    rounds: list[dict[str, Load]],
    alone: dict[str, Load],
    profiles: dict[str, tuple[Load, Path]],
) -> None:
    median = statistics.median(create)
    print()
    print(f"create_request with a 5 MB photo: CPU ms per request, median {median:.0f}, "
          f"min {min(create):.0f}, max {max(create):.0f} ({len(create)} requests)")  # fmt: skip
    best = {name: max((r[name] for r in rounds), key=lambda load: load.rate) for name in rounds[0]}
    base = best["BASELINE"]
    print(f"{'':12}{'req/s':>9}{'×BASE':>7}{'p50 ms':>8}{'p99 ms':>8}{'max ms':>8}"
          f"{'errors':>7}{'server CPU':>12}{'cores':>6}")  # fmt: skip
    for name, load in best.items():
        print(f"{name:<12}{load.rate:>9.1f}{load.rate / base.rate:>7.2f}"
              f"{load.percentile(0.5):>8.1f}{load.percentile(0.99):>8.1f}"
              f"{load.percentile(1.0):>8.1f}{sum(load.errors.values()):>7}"
              f"{1000 * load.server_cpu / max(load.done, 1):>9.2f} ms"
              f"{load.server_cpu / load.seconds:>6.2f}")  # fmt: skip
    print(f"GET {QUEUE} over {options.requests:,} requests (BASELINE: main_page.py's bare "
          f"page of the same size), {options.clients} keep-alive connections, uvicorn with "
          f"{options.workers} worker(s); best of {len(rounds)} round(s) of "
          f"{options.round_seconds:g} s. CPU per request: the server's processes "
          "(PostgreSQL's own not counted).")  # fmt: skip
    for name, load in alone.items():
        print(f"{name}, one connection alone: {load.rate:.1f} req/s, p50 "
              f"{load.percentile(0.5):.1f} ms, p99 {load.percentile(0.99):.1f} ms")  # fmt: skip
    for name, load in best.items():
        if load.database_cpu is not None:
            per_request = 1000 * load.database_cpu / max(load.done, 1)
            print(f"{name}: the database server's processes used {per_request:.2f} ms CPU "
                  "per request more")  # fmt: skip
    for name, (load, path) in profiles.items():
        print(f"py-spy, {name} ({load.rate:.0f} req/s while sampled; {path}):")
        print("\n".join(main_page.summarise_profile(path)))
    # The machine's load beside the figures: on shared cores they mean little without it.
    print("load average after the run (1, 5, 15 min): "
          + ", ".join(f"{v:.1f}" for v in os.getloadavg()))  # fmt: skip
    print(f"RESULT request_create_cpu_ms {median:.0f} goal {GOAL_CREATE_CPU_MS} "
          f"{_goal(median <= GOAL_CREATE_CPU_MS)}")  # fmt: skip
    for name, metric in (("SQLite", "sqlite"), ("PostgreSQL", "postgres")):
        if name in best:
            worst = best[name].percentile(0.99)
            met = worst < GOAL_QUEUE_P99_MS and not best[name].errors
            print(f"RESULT queue_p99_ms_{metric} {worst:.1f} goal {GOAL_QUEUE_P99_MS:g} "
                  f"{_goal(met)}")  # fmt: skip


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        print("interrupted: servers stopped, database dropped, files removed", file=sys.stderr)
        sys.exit(130)
