"""The life of a request under an idempotency key: claim, then answer or release; a repeat
gets the stored answer; expired requests are purged."""

from __future__ import annotations

from lk_core.service_api.context import ServiceApiContext
from lk_core.service_api.errors import IdempotencyKeyInProgress, IdempotencyKeyReused
from lk_core.service_api.idempotency import (
    ABANDONED_AFTER,
    IDEMPOTENCY_LIFETIME,
    IdempotentRequest,
    StoredAnswer,
)


def claim_request(
    ctx: ServiceApiContext, caller: str, key: str, request_hash: str
) -> StoredAnswer | None:
    """None when this call claimed the key and must run the request (then `answer_request`
    or `release_request`); the first answer when the same request was answered already.
    Raises IdempotencyKeyReused for another request under the key, and
    IdempotencyKeyInProgress while the first one still runs."""
    now = ctx.clock.now()
    claim = IdempotentRequest(caller, key, request_hash, now, now + IDEMPOTENCY_LIFETIME)
    with ctx.uow_factory() as uow:
        claimed = uow.idempotency.claim(claim)
        uow.commit()
        if claimed:
            return None
        stored = uow.idempotency.get(caller, key)
        if stored is None or stored.expires_at <= now:
            # Expired but not yet purged: forget it and claim the key for this request.
            uow.idempotency.delete_expired(now)
            claimed = uow.idempotency.claim(claim)
            uow.commit()
            if claimed:
                return None
            stored = uow.idempotency.get(caller, key)
            if stored is None:
                raise IdempotencyKeyInProgress
        if stored.request_hash != request_hash:
            raise IdempotencyKeyReused
        if stored.answer is not None:
            return stored.answer
        if stored.is_abandoned(now):
            taken = uow.idempotency.take_over(caller, key, request_hash, now - ABANDONED_AFTER, now)
            uow.commit()
            if taken:
                return None
        raise IdempotencyKeyInProgress


def answer_request(ctx: ServiceApiContext, caller: str, key: str, answer: StoredAnswer) -> None:
    """Keep the answer of a claimed request, for every repeat until it expires."""
    with ctx.uow_factory() as uow:
        uow.idempotency.answer(caller, key, answer)
        uow.commit()


def release_request(ctx: ServiceApiContext, caller: str, key: str) -> None:
    """Give up a claim whose request failed without an answer worth keeping: a retry runs."""
    with ctx.uow_factory() as uow:
        uow.idempotency.release(caller, key)
        uow.commit()


def purge_expired_requests(ctx: ServiceApiContext) -> int:
    """Forget requests whose answers expired; return how many (run by `lk db purge`)."""
    with ctx.uow_factory() as uow:
        purged = uow.idempotency.delete_expired(ctx.clock.now())
        uow.commit()
    return purged
