"""Helpers the access use cases share: throttle reservations and opening sessions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from lk_core.access.audit import AuditEvent, AuditKind
from lk_core.access.ports import AccessUnitOfWork, CounterUnitOfWork
from lk_core.access.sessions import Session, new_session, session_id_hash
from lk_core.access.throttling import Bucket, Throttled, ThrottlePolicy, buckets, window_start


def ensure_not_throttled(
    uow: CounterUnitOfWork, buckets: Sequence[Bucket], now: dt.datetime
) -> None:
    """Raise `Throttled` if any bucket's window is full; nothing is counted."""
    waits = _waits(uow, buckets, now)
    if waits:
        raise Throttled(max(waits))


def in_lock_order(buckets: Sequence[Bucket]) -> list[Bucket]:
    """The one order in which every request writes counters: by the bucket's name."""
    return sorted(buckets, key=lambda bucket: bucket.name)


def reserve_attempt(uow: CounterUnitOfWork, buckets: Sequence[Bucket], now: dt.datetime) -> None:
    """Count one attempt in every bucket *before* the secret is checked, each by one
    conditional write, so that requests racing each other never get past a limit together
    (SECURITY.md). If a bucket is full, nothing stays counted: the unit of work is rolled
    back (so reserve before writing anything else) and `Throttled` raised."""
    # One order for every request, so that two reserving the same buckets never wait for
    # each other's row locks crosswise.
    for bucket in in_lock_order(buckets):
        start = window_start(now, bucket.limit.window)
        if not uow.rate_counters.reserve(bucket.name, start, bucket.limit.count):
            uow.rollback()
            raise Throttled(
                max(_waits(uow, buckets, now), default=start + bucket.limit.window - now)
            )


def reserve_password_check(
    uow: AccessUnitOfWork,
    policy: ThrottlePolicy,
    now: dt.datetime,
    *,
    account_key: str,
    ip: str,
    device_id: str | None,
) -> list[Bucket]:
    """Reserve one password check for an account; return the buckets it was counted in.

    A known device (ADR 0050) spends its own budget, so strangers flooding the account do
    not lock its owner out of a browser they signed in from before; once that budget is
    spent, or for anyone else, the account's, the pair's and the IP's limits apply.
    """
    if device_id is not None:
        known = buckets(policy.sign_in_known_device, device=device_id)
        try:
            reserve_attempt(uow, known, now)
        except Throttled:
            pass
        else:
            return known
    guarded = buckets(policy.sign_in, account=account_key, ip=ip)
    reserve_attempt(uow, guarded, now)
    return guarded


def release_attempt(uow: CounterUnitOfWork, buckets: Sequence[Bucket], now: dt.datetime) -> None:
    """Take back an attempt `reserve_attempt` counted that turned out not to be a failure
    (sign-in, first visit and code checks count failures only). In the order reserving
    takes them: one releasing while another reserves would otherwise each hold a row the
    other waits for, and PostgreSQL would end one of them as a deadlock."""
    for bucket in in_lock_order(buckets):
        uow.rate_counters.release(bucket.name, window_start(now, bucket.limit.window))


def _waits(
    uow: CounterUnitOfWork, buckets: Sequence[Bucket], now: dt.datetime
) -> list[dt.timedelta]:
    """How long until each full bucket's window ends."""
    starts = [window_start(now, bucket.limit.window) for bucket in buckets]
    counted = uow.rate_counters.counts(
        [(bucket.name, start) for bucket, start in zip(buckets, starts, strict=True)]
    )
    return [
        start + bucket.limit.window - now
        for bucket, start, count in zip(buckets, starts, counted, strict=True)
        if count >= bucket.limit.count
    ]


def open_session(
    uow: AccessUnitOfWork,
    now: dt.datetime,
    replacing_raw_id: str | None,
    *,
    registration_key: str | None = None,
    pending_account_key: str | None = None,
) -> str:
    """A new session id (never the one the browser brought: no fixation)."""
    if replacing_raw_id:
        uow.sessions.delete(session_id_hash(replacing_raw_id))
    raw, session = new_session(now)
    session.registration_key = registration_key
    session.account_key = registration_key
    session.pending_account_key = pending_account_key
    uow.sessions.add(session)
    return raw


def audit(
    uow: AccessUnitOfWork,
    kind: AuditKind,
    now: dt.datetime,
    *,
    account_key: str | None,
    ip: str,
    **details: str,
) -> None:
    uow.audit.record(AuditEvent(now, kind, account_key, ip, "resident", tuple(details.items())))


def live_session(
    uow: AccessUnitOfWork,
    raw_id: str | None,
    now: dt.datetime,
    idle: dt.timedelta,
    absolute: dt.timedelta,
) -> Session | None:
    """The stored session for a cookie, if it exists and has not timed out."""
    if not raw_id:
        return None
    session = uow.sessions.get(session_id_hash(raw_id))
    if session is None:
        return None
    if now - session.last_seen_at > idle or now - session.created_at > absolute:
        uow.sessions.delete(session.id_hash)
        return None
    return session
