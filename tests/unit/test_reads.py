"""A page's read runs on the event loop only over an embedded database (ADR 0033)."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from lk_web.dependencies import Services
from lk_web.reads import read


def services(*, reads_on_loop: bool) -> Services:
    nothing: Any = None
    return Services(
        access=nothing, home=nothing, personal_data=nothing, ledger=nothing, readings=nothing,
        receipts=nothing, receipt_store=nothing, client=nothing, payments=nothing,
        uow_factory=nothing, engine=nothing, demo_acquirer=None, reads_on_loop=reads_on_loop,
        requests=nothing,
    )  # fmt: skip


def where_am_i(tag: str, *, suffix: str) -> tuple[str, str]:
    return threading.current_thread().name, tag + suffix


@pytest.mark.asyncio
async def test_over_an_embedded_database_the_read_runs_on_the_event_loop() -> None:
    thread, answer = await read(services(reads_on_loop=True), where_am_i, "page", suffix="!")

    assert thread == threading.current_thread().name
    assert answer == "page!"


@pytest.mark.asyncio
async def test_over_a_database_server_the_read_runs_in_a_worker_thread() -> None:
    thread, answer = await read(services(reads_on_loop=False), where_am_i, "page", suffix="?")

    assert thread != threading.current_thread().name
    assert answer == "page?"


@pytest.mark.asyncio
async def test_a_refusal_raised_by_the_read_reaches_the_handler_either_way() -> None:
    def not_found() -> None:
        raise LookupError("no such period")

    for on_loop in (True, False):
        with pytest.raises(LookupError):
            await read(services(reads_on_loop=on_loop), not_found)
