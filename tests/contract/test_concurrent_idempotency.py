"""Requests sent at once with one idempotency key: exactly one claims it and runs, tested
with real threads on SQLite and PostgreSQL (the in-memory store does not merge concurrent
transactions)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from access_fixtures import MovableClock
from lk_adapters.portal_unit_of_work import PortalUnitOfWorkFactory
from lk_core.service_api import (
    IdempotencyKeyInProgress,
    ServiceApiContext,
    StoredAnswer,
    answer_request,
    claim_request,
)

CLIENTS = 8
ANSWER = StoredAnswer(201, (), b"{}")


def test_of_requests_sent_at_once_with_one_key_exactly_one_runs(
    sql_uow_factory: PortalUnitOfWorkFactory,
) -> None:
    ctx = ServiceApiContext(sql_uow_factory, MovableClock())
    start = threading.Barrier(CLIENTS)
    ran: list[int] = []
    guard = threading.Lock()

    def send(client: int) -> object:
        start.wait()
        try:
            replay = claim_request(ctx, "key:0123456789ab", "one-key", "h" * 64)
        except IdempotencyKeyInProgress as waiting:
            return waiting
        if replay is None:
            with guard:
                ran.append(client)
            answer_request(ctx, "key:0123456789ab", "one-key", ANSWER)
        return replay

    with ThreadPoolExecutor(CLIENTS) as pool:
        outcomes = list(pool.map(send, range(CLIENTS)))

    assert len(ran) == 1
    others = [o for i, o in enumerate(outcomes) if i not in ran]
    assert all(o == ANSWER or isinstance(o, IdempotencyKeyInProgress) for o in others)
    assert claim_request(ctx, "key:0123456789ab", "one-key", "h" * 64) == ANSWER
