"""Benchmark: the front page's latency while forged payment callbacks flood the portal.

Run with no arguments: `python bench/callback_flood.py` (options: `--callbacks`,
`--seconds`, `--env KEY=VALUE`; see `--help`).

The portal is `lk serve` in production mode over a fresh SQLite file, its YooKassa API
URL pointing at a server on 127.0.0.1 that accepts connections and never answers (the
worst a provider can do). `--callbacks` forged notifications, each naming a different
made-up payment, are posted at once, each said by the trusted proxy (`LK_BEHIND_PROXY`)
to come from one of YooKassa's addresses in 185.71.76.0/27, so that all of them pass
the portal's checks of origin and rate: the worst case. Meanwhile the front page is
asked twice a second for `--seconds`. Reported: the front page's median latency before
the flood, its median and worst during it, and how the callbacks were answered.

The goal (SECURITY.md, "provider callbacks … no flood of callbacks can tie up the web
workers"): the front page answers within 2 s throughout.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import os
import socket
import statistics
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from lk_adapters.demo import demo_company
from support.load import free_port, lk_serve, running

GOAL_SECONDS = 2.0
WEBHOOK = "/api/v1/payments/callbacks/yookassa"
PAGE_TIMEOUT = 300.0


@contextmanager
def silent_server() -> Iterator[str]:
    """A server on 127.0.0.1 that accepts connections and never answers; its base URL."""
    listener = socket.create_server(("127.0.0.1", 0), backlog=1024)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join()
        for connection in held:
            connection.close()
        listener.close()


def production_environment(folder: Path, port: int, api_url: str) -> dict[str, str]:
    company = demo_company()
    requisites = {
        f"LK_COMPANY_{name.upper()}": str(getattr(company, name))
        for name in ("name", "inn", "kpp", "bank_name", "bic", "settlement_account",
                     "correspondent_account")
    }  # fmt: skip
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("LK_")},
        **requisites,
        "LK_DEMO": "0",
        "LK_HTTPS": "false",
        "LK_SECRET_KEY": "bench-" + "k" * 40,
        "LK_DATABASE_URL": f"sqlite:///{folder / 'lk.sqlite3'}",
        "LK_BASE_URL": f"http://127.0.0.1:{port}",
        "LK_BEHIND_PROXY": "true",
        "LK_PAYMENTS_YOOKASSA_SHOP_ID": "506751",
        "LK_PAYMENTS_YOOKASSA_SECRET_KEY": "test_bench_secret",
        "LK_PAYMENTS_YOOKASSA_API_URL": api_url,
    }


def front_page_seconds(client: httpx.Client) -> float:
    started = time.perf_counter()
    try:
        assert client.get("/", timeout=PAGE_TIMEOUT).status_code == 200
    except httpx.TimeoutException:
        return PAGE_TIMEOUT
    return time.perf_counter() - started


def flood(base: str, callbacks: int, answers: collections.Counter[str]) -> threading.Thread:
    """Post the forged callbacks at once, in a thread; their answers are counted."""

    async def post_all() -> None:
        limits = httpx.Limits(max_connections=callbacks, max_keepalive_connections=0)
        async with httpx.AsyncClient(base_url=base, limits=limits, timeout=600) as client:

            async def post(n: int) -> None:
                body = {"type": "notification", "event": "payment.succeeded",
                        "object": {"id": str(uuid.uuid4())}}  # fmt: skip
                source = {"X-Forwarded-For": f"185.71.76.{n % 32}"}
                try:
                    answer = await client.post(WEBHOOK, json=body, headers=source)
                    answers[str(answer.status_code)] += 1
                except httpx.HTTPError as error:
                    answers[type(error).__name__] += 1

            await asyncio.gather(*(post(n) for n in range(callbacks)))

    thread = threading.Thread(target=asyncio.run, args=(post_all(),), daemon=True)
    thread.start()
    return thread


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--callbacks", type=int, default=200, help="forged callbacks at once")
    parser.add_argument("--seconds", type=float, default=20.0, help="how long to measure")
    parser.add_argument("--env", action="append", default=[], help="KEY=VALUE for lk serve")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, silent_server() as api_url:
        port = free_port()
        env = production_environment(Path(folder), port, api_url)
        env.update(item.split("=", 1) for item in args.env)
        with (
            running("lk serve", port, lk_serve(port, 1), env, Path(folder) / "server.log"),
            httpx.Client(base_url=f"http://127.0.0.1:{port}") as client,
        ):
            base = str(client.base_url).rstrip("/")
            before = [front_page_seconds(client) for _ in range(10)]
            answers: collections.Counter[str] = collections.Counter()
            posting = flood(base, args.callbacks, answers)
            during: list[float] = []
            started = time.monotonic()
            while time.monotonic() - started < args.seconds:
                during.append(front_page_seconds(client))
                time.sleep(0.5)
            posting.join(timeout=1)
            print(f"front page before the flood: median {statistics.median(before) * 1000:.0f} ms")
            print(
                f"during {args.callbacks} callbacks: median "
                f"{statistics.median(during) * 1000:.0f} ms, worst {max(during) * 1000:.0f} ms "
                f"({len(during)} requests in {time.monotonic() - started:.0f} s)"
            )
            print(f"callbacks answered so far: {dict(answers) or 'none'}")
            verdict = "met" if max(during) <= GOAL_SECONDS else "missed"
            print(
                f"RESULT front_page_worst_seconds_under_callback_flood {max(during):.3f} "
                f"goal {GOAL_SECONDS:g} {verdict}"
            )


if __name__ == "__main__":
    main()
