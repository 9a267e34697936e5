"""A flood of forged payment callbacks cannot stall the portal (SECURITY.md; ADR 0053).

The real `lk serve` in production mode, behind a proxy that says the callbacks come from
YooKassa's addresses (the worst case: every one passes the gate), with YooKassa's API
on a server that accepts connections and never answers. Before the fix the front page
took minutes: every callback held one of the shared worker threads while its handler
waited on the provider.
"""

from __future__ import annotations

import asyncio
import collections
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text

from served_portal import free_port, production_environment, served_portal
from yookassa_server import SECRET_KEY, SHOP_ID, silent_server

CALLBACKS = 200
FRONT_PAGE_SECONDS = 2.0
WEBHOOK = "/api/v1/payments/callbacks/yookassa"


def yookassa_address(n: int) -> str:
    """One of the 32 addresses of 185.71.76.0/27, a network YooKassa sends from."""
    return f"185.71.76.{n % 32}"


@pytest.fixture
def portal(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    with silent_server() as api_url:
        port = free_port()
        env = production_environment(
            tmp_path,
            port,
            LK_BEHIND_PROXY="true",
            LK_PAYMENTS_YOOKASSA_SHOP_ID=SHOP_ID,
            LK_PAYMENTS_YOOKASSA_SECRET_KEY=SECRET_KEY,
            LK_PAYMENTS_YOOKASSA_API_URL=api_url,
        )
        with served_portal(env, port, tmp_path / "server.log") as base_url:
            yield base_url, tmp_path / "lk.sqlite3"


def flood(base_url: str, answers: collections.Counter[str]) -> threading.Thread:
    """Post the forged callbacks all at once from a thread; their answers are counted."""

    async def post_all() -> None:
        limits = httpx.Limits(max_connections=CALLBACKS, max_keepalive_connections=0)
        async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=120) as client:

            async def post(n: int) -> None:
                body = {"type": "notification", "event": "payment.succeeded",
                        "object": {"id": str(uuid.uuid4()), "status": "succeeded"}}  # fmt: skip
                try:
                    answer = await client.post(
                        WEBHOOK, json=body, headers={"X-Forwarded-For": yookassa_address(n)}
                    )
                    answers[str(answer.status_code)] += 1
                except httpx.HTTPError as error:
                    answers[type(error).__name__] += 1

            await asyncio.gather(*(post(n) for n in range(CALLBACKS)))

    thread = threading.Thread(target=asyncio.run, args=(post_all(),), daemon=True)
    thread.start()
    return thread


def counts(database: Path) -> tuple[int, int, bool]:
    """(payments credited, notifications waiting for verification, whether the provider
    has been asked about any)."""
    engine = create_engine(f"sqlite:///{database}")
    try:
        with engine.connect() as connection:
            credited = connection.execute(text("SELECT count(*) FROM payments")).scalar_one()
            waiting, attempts = connection.execute(
                text("SELECT count(*), sum(attempts) FROM payment_verifications")
            ).one()
    finally:
        engine.dispose()
    return credited, waiting, attempts > 0


def test_forged_callbacks_against_a_provider_that_never_answers_leave_the_front_page_fast(
    portal: tuple[str, Path],
) -> None:
    base_url, database = portal
    answers: collections.Counter[str] = collections.Counter()
    with httpx.Client(base_url=base_url, timeout=60) as browser:
        assert browser.get("/").status_code == 200

        posting = flood(base_url, answers)
        latencies = []
        for _ in range(12):
            time.sleep(0.25)
            started = time.perf_counter()
            assert browser.get("/").status_code == 200
            latencies.append(time.perf_counter() - started)
        posting.join(timeout=60)

    assert max(latencies) < FRONT_PAGE_SECONDS, latencies
    assert answers == {"200": CALLBACKS}
    assert counts(database) == (0, CALLBACKS, True)
