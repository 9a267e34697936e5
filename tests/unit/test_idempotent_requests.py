"""Idempotent requests: the first claims the key, a repeat gets the first answer, another
request under the key is refused, and answers are forgotten a day later."""

from __future__ import annotations

import pytest

from access_fixtures import MovableClock
from lk_adapters.memory import InMemoryUnitOfWorkFactory
from lk_core.service_api import (
    IdempotencyKeyInProgress,
    IdempotencyKeyInvalid,
    IdempotencyKeyReused,
    ServiceApiContext,
    StoredAnswer,
    answer_request,
    claim_request,
    idempotency_key,
    purge_expired_requests,
    release_request,
    request_fingerprint,
)

CALLER = "key:0123456789ab"
SAME = request_fingerprint("POST", "/api/v1/service/messages", "application/json", b'{"a":1}')
OTHER = request_fingerprint("POST", "/api/v1/service/messages", "application/json", b'{"a":2}')
ANSWER = StoredAnswer(202, (("content-type", "application/json"),), b'{"queued":3}')


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


@pytest.fixture
def ctx(clock: MovableClock) -> ServiceApiContext:
    return ServiceApiContext(InMemoryUnitOfWorkFactory(), clock)


def test_the_first_request_claims_the_key_and_a_repeat_gets_its_answer(
    ctx: ServiceApiContext,
) -> None:
    assert claim_request(ctx, CALLER, "k-1", SAME) is None
    answer_request(ctx, CALLER, "k-1", ANSWER)

    assert claim_request(ctx, CALLER, "k-1", SAME) == ANSWER
    assert claim_request(ctx, CALLER, "k-1", SAME) == ANSWER


def test_another_request_under_a_used_key_is_refused(ctx: ServiceApiContext) -> None:
    claim_request(ctx, CALLER, "k-1", SAME)
    answer_request(ctx, CALLER, "k-1", ANSWER)

    with pytest.raises(IdempotencyKeyReused):
        claim_request(ctx, CALLER, "k-1", OTHER)


def test_a_repeat_while_the_first_still_runs_is_told_to_wait(ctx: ServiceApiContext) -> None:
    claim_request(ctx, CALLER, "k-1", SAME)

    with pytest.raises(IdempotencyKeyInProgress):
        claim_request(ctx, CALLER, "k-1", SAME)


def test_keys_of_different_callers_never_meet(ctx: ServiceApiContext) -> None:
    claim_request(ctx, CALLER, "k-1", SAME)
    answer_request(ctx, CALLER, "k-1", ANSWER)

    assert claim_request(ctx, "resident:100234", "k-1", OTHER) is None


def test_a_released_claim_lets_a_retry_run(ctx: ServiceApiContext) -> None:
    claim_request(ctx, CALLER, "k-1", SAME)
    release_request(ctx, CALLER, "k-1")

    assert claim_request(ctx, CALLER, "k-1", SAME) is None


def test_a_claim_abandoned_for_a_quarter_of_an_hour_is_taken_over(
    ctx: ServiceApiContext, clock: MovableClock
) -> None:
    claim_request(ctx, CALLER, "k-1", SAME)
    clock.advance(minutes=14)
    with pytest.raises(IdempotencyKeyInProgress):
        claim_request(ctx, CALLER, "k-1", SAME)

    clock.advance(minutes=2)
    assert claim_request(ctx, CALLER, "k-1", SAME) is None
    with pytest.raises(IdempotencyKeyInProgress):
        claim_request(ctx, CALLER, "k-1", SAME)


def test_an_answer_is_kept_a_day_then_purged(ctx: ServiceApiContext, clock: MovableClock) -> None:
    claim_request(ctx, CALLER, "k-1", SAME)
    answer_request(ctx, CALLER, "k-1", ANSWER)
    clock.advance(hours=23, minutes=59)
    assert purge_expired_requests(ctx) == 0
    assert claim_request(ctx, CALLER, "k-1", SAME) == ANSWER

    clock.advance(minutes=1)
    assert purge_expired_requests(ctx) == 1
    assert claim_request(ctx, CALLER, "k-1", OTHER) is None


def test_an_expired_answer_not_yet_purged_is_not_replayed(
    ctx: ServiceApiContext, clock: MovableClock
) -> None:
    claim_request(ctx, CALLER, "k-1", SAME)
    answer_request(ctx, CALLER, "k-1", ANSWER)
    clock.advance(hours=24)

    assert claim_request(ctx, CALLER, "k-1", OTHER) is None


def test_the_fingerprint_tells_apart_method_target_type_and_body() -> None:
    base = ("POST", "/a", "application/json", b"{}")
    variants = [
        ("PUT", "/a", "application/json", b"{}"),
        ("POST", "/a?x=1", "application/json", b"{}"),
        ("POST", "/a", "text/csv", b"{}"),
        ("POST", "/a", "application/json", b"{ }"),
    ]
    assert request_fingerprint(*base) == request_fingerprint(*base)
    assert all(request_fingerprint(*v) != request_fingerprint(*base) for v in variants)


@pytest.mark.parametrize("text", ["", " ", "k\n1", "ключ", "x" * 256])
def test_an_idempotency_key_is_visible_ascii_up_to_255(text: str) -> None:
    with pytest.raises(IdempotencyKeyInvalid):
        idempotency_key(text)
    assert idempotency_key("550e8400-e29b-41d4-a716-446655440000").startswith("550e")
