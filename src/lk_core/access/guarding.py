"""Helpers the access use cases share: throttle checks and opening sessions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from lk_core.access.audit import AuditEvent, AuditKind
from lk_core.access.sessions import Session, new_session, session_id_hash
from lk_core.access.throttling import Bucket, Throttled, window_start
from lk_core.unit_of_work import UnitOfWork


def ensure_not_throttled(uow: UnitOfWork, buckets: Sequence[Bucket], now: dt.datetime) -> None:
    """Raise `Throttled` if any bucket's window is full; nothing is counted."""
    starts = [window_start(now, bucket.limit.window) for bucket in buckets]
    counted = uow.rate_counters.counts(
        [(bucket.name, start) for bucket, start in zip(buckets, starts, strict=True)]
    )
    waits = [
        start + bucket.limit.window - now
        for bucket, start, count in zip(buckets, starts, counted, strict=True)
        if count >= bucket.limit.count
    ]
    if waits:
        raise Throttled(max(waits))


def count_attempt(uow: UnitOfWork, buckets: Sequence[Bucket], now: dt.datetime) -> None:
    for bucket in buckets:
        uow.rate_counters.hit(bucket.name, window_start(now, bucket.limit.window))


def open_session(
    uow: UnitOfWork,
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
    uow: UnitOfWork,
    kind: AuditKind,
    now: dt.datetime,
    *,
    account_key: str | None,
    ip: str,
    **details: str,
) -> None:
    uow.audit.record(AuditEvent(now, kind, account_key, ip, "resident", tuple(details.items())))


def live_session(
    uow: UnitOfWork,
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
