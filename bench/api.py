"""Benchmark: the JSON API against the HTML pages it mirrors (issue 19 §6), same server,
same run: GET settlements as JSON against the signed-in main page (GET /home), and a
reading POSTed as JSON against the readings form's submission (POST /readings).

Run with no arguments: `python bench/api.py` (about 2 to 3 minutes on 2 cores; `--quick`
scales it down; `--accounts`, `--clients`, `--rounds`, `--round-seconds`, `--workers`,
`--no-postgres`, `--keep`: see `--help`). Servers, files and the PostgreSQL databases it
makes are removed at the end.

The goals: `GET /api/v1/accounts/{account}/settlements` serves at least 1.5× the requests
per second of `GET /home`; `POST /api/v1/accounts/{account}/readings` at least as many as
`POST /readings`.

DATA. bench/readings.py's: houses, services, `--accounts` accounts with 3 months of
ledger and a cold-water meter each with last month's reading, loaded by `lk import` into
SQLite and PostgreSQL. `--clients` accounts are registered (bench/support/portal.py);
each is signed in once as a browser (a session cookie, then the main and readings pages
for the CSRF cookie and token) and once as a phone app through the API's use case (a
bearer access token, its lifetime raised for the run with `LK_API_ACCESS_TOKEN_MINUTES`).

LOAD. bench/support/load.py's: every connection keep-alive and busy, spread over the
workers; the four targets take turns for `--rounds` rounds, the best round of each is
reported. The HTML submission is a form (303 answer), the API's a JSON body (201); both
replace the connection's own pending reading each time.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import quote

import main_page as mp
import readings as rd
from support.load import (
    Connection,
    Load,
    Server,
    cores,
    drive,
    free_port,
    lk_serve,
    postmaster_pid,
    running,
)
from support.portal import PASSWORD, portal_environment, registered_sessions

GOAL_SETTLEMENTS, GOAL_READINGS = 1.5, 1.0
TOKEN_MINUTES = "240"


class ApiConnection(Connection):
    """A keep-alive connection sending the same API request again and again."""

    def __init__(self, port: int, method: str, path: str, token: str, body: bytes = b"") -> None:
        super().__init__(port, path, "")
        head = (
            f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: lk-bench\r\n"
            f"Accept: application/json\r\nAuthorization: Bearer {token}\r\n"
        )
        if body:
            head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        self.request = (head + "\r\n").encode() + body


def api_tokens(env: dict[str, str], keys: list[str]) -> list[str]:
    """An access token per account, issued by the API's sign-in use case."""
    from lk_adapters.container import build_container
    from lk_adapters.settings import load_settings
    from lk_core.access.app_tokens import sign_in_device

    container = build_container(load_settings(env))
    access = container.access()
    tokens = [
        sign_in_device(
            access, key, PASSWORD, "bench", ip=f"203.0.113.{i % 250 + 1}", device_token=None
        ).access_token
        for i, key in enumerate(keys)
    ]
    container.engine().dispose()
    return tokens


def environment(url: str, port: int = 8000) -> dict[str, str]:
    return {**portal_environment(url, port), "LK_API_ACCESS_TOKEN_MINUTES": TOKEN_MINUTES}


def api_against_pages(run: Run, name: str, url: str, numbers: list[int]) -> dict[str, Load]:
    """Best rounds of the four targets on one `lk serve` over `url`."""
    from lk_web.client import SESSION_COOKIE_SECURE

    options = run.options
    keys = [mp.account_key(n) for n in numbers]
    surnames = [mp.PEOPLE[n % len(mp.PEOPLE)][0] for n in numbers]
    sessions = registered_sessions(environment(url), keys, surnames)
    tokens = api_tokens(environment(url), keys)
    port = free_port()
    with ExitStack() as stack:
        server: Server = stack.enter_context(
            running(name, port, lk_serve(port, options.workers),
                    environment(url, port), run.folder / f"server-{name}.log")
        )  # fmt: skip
        if name == "PostgreSQL":
            server.database_pid = postmaster_pid()
        cookies: list[str] = []
        form_bodies: dict[str, str] = {}
        api: dict[str, tuple[str, str, int]] = {}
        for n, key, raw, token in zip(numbers, keys, sessions, tokens, strict=True):
            cookie, csrf = rd.browser_cookies(server, f"{SESSION_COOKIE_SECURE}={raw}")
            cookies.append(cookie)
            field = quote(f"value:{rd.meter_id(n)}|single", safe="")
            form_bodies[cookie] = f"_csrf_token={csrf}&service={rd.SERVICE}&{field}=104%2C5"
            api[cookie] = (key, token, n)

        def settlements(port: int, _path: str, cookie: str) -> ApiConnection:
            key, token, _n = api[cookie]
            return ApiConnection(port, "GET", f"/api/v1/accounts/{key}/settlements", token)

        def form(port: int, path: str, cookie: str) -> rd.PostConnection:
            return rd.PostConnection(port, path, cookie, form_bodies[cookie])

        def reading(port: int, _path: str, cookie: str) -> ApiConnection:
            key, token, n = api[cookie]
            body = json.dumps(
                {"service": rd.SERVICE, "values": {f"{rd.meter_id(n)}|single": "104.5"}}
            ).encode()
            return ApiConnection(port, "POST", f"/api/v1/accounts/{key}/readings", token, body)

        targets = (
            ("GET /home", "/home", None),
            ("GET settlements JSON", "/api", settlements),
            ("POST /readings", "/readings", form),
            ("POST readings JSON", "/api", reading),
        )
        best: dict[str, Load] = {}
        for round_number in range(options.rounds):
            for target, path, make in targets:
                result = drive(server, cookies, options.round_seconds,
                               options.warmup_seconds, path, make)  # fmt: skip
                if target not in best or result.rate > best[target].rate:
                    best[target] = result
            run.step(f"{name} round {round_number + 1}: " + ", ".join(
                f"{t} {load.rate:.0f} req/s" for t, load in best.items()))  # fmt: skip
    expected = {"POST /readings": 303, "POST readings JSON": 201}
    for target, load in best.items():
        wrong = {s: c for s, c in load.errors.items() if s != expected.get(target)}
        if wrong:
            raise SystemExit(f"{name} {target}: unexpected answers {wrong}; see {server.log}")
    return best


def parse_options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--accounts", type=int, default=2_000)
    parser.add_argument("--clients", type=int, default=16, help="concurrent connections")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--round-seconds", type=float, default=4.0)
    parser.add_argument("--warmup-seconds", type=float, default=1.5)
    parser.add_argument("--workers", type=int, default=cores(), help="uvicorn workers")
    parser.add_argument("--quick", action="store_true", help="one short round")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    options = parser.parse_args()
    if options.quick:
        options.rounds, options.round_seconds = 1, 2.0
    return options


class Run(rd.Run):
    def __init__(self, options: argparse.Namespace) -> None:
        super().__init__(options)
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder = Path(tempfile.mkdtemp(prefix="lk-bench-api-"))


def main() -> None:
    options = parse_options()
    run = Run(options)
    try:
        run.step("writing billing files …")
        files = mp.write_billing_files(run.folder / "files", options.accounts, 3)
        files += rd.write_meter_files(run.folder / "files", options.accounts)
        urls = {"SQLite": f"sqlite:///{run.folder / 'portal.sqlite3'}"}
        if run.postgres:
            urls["PostgreSQL"] = run.database("portal")
        numbers = [(i * options.accounts) // options.clients + 3 for i in range(options.clients)]
        found: dict[str, dict[str, Load]] = {}
        for name, url in urls.items():
            rd.load(run, url, files)
            run.step(f"{name}: {options.accounts:,} accounts with meters loaded")
            found[name] = api_against_pages(run, name, url, numbers)
    finally:
        run.close()
    report(options, found)


def report(options: argparse.Namespace, found: dict[str, dict[str, Load]]) -> None:
    print()
    print(f"{'':36}{'req/s':>9}{'p50 ms':>8}{'p99 ms':>8}{'server CPU ms/req':>19}")
    for name, best in found.items():
        for label, load in best.items():
            cpu = 1000 * load.server_cpu / max(load.done, 1)
            print(f"{name + ' ' + label:<36}{load.rate:>9.1f}{load.percentile(0.5):>8.1f}"
                  f"{load.percentile(0.99):>8.1f}{cpu:>19.2f}")  # fmt: skip
    print(
        f"Best of {options.rounds} round(s) of {options.round_seconds:g} s, "
        f"{options.clients} connections, {options.workers} worker(s)."
    )
    print()
    for name, best in found.items():
        low = name.lower()
        ratio = best["GET settlements JSON"].rate / best["GET /home"].rate
        print(f"RESULT api_settlements_vs_main_page_{low} {ratio:.2f} goal {GOAL_SETTLEMENTS} "
              f"{mp._goal(ratio >= GOAL_SETTLEMENTS)}")  # fmt: skip
        ratio = best["POST readings JSON"].rate / best["POST /readings"].rate
        print(f"RESULT api_reading_vs_form_submission_{low} {ratio:.2f} goal {GOAL_READINGS} "
              f"{mp._goal(ratio >= GOAL_READINGS)}")  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
