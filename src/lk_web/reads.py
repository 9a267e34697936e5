"""Where a page's read-only use case runs: on the event loop when the database is embedded.

A read-only unit of work on SQLite costs a fraction of a millisecond and never waits: in
WAL mode readers see their snapshot whatever a writer holds. Handing it to a worker
thread and back cost more than the read itself (0.27 ms of CPU a main page) and made
the slowest answers slower still (p99 107 against 36 ms at 32 connections). A database
server is a network round trip away and can stall, so its reads keep to worker threads;
so does anything that writes, on either (ADR 0033).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec, TypeVar

from litestar.concurrency import sync_to_thread

from lk_web.dependencies import Services

P = ParamSpec("P")
T = TypeVar("T")


async def read(portal: Services, use_case: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run a use case that only reads: here if the database is embedded, else in a thread."""
    if portal.reads_on_loop:
        return use_case(*args, **kwargs)
    return await sync_to_thread(use_case, *args, **kwargs)
