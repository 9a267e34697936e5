"""Sign-in (F1) and sign-out (F8)."""

from __future__ import annotations

import datetime as dt

from lk_core.access.audit import AuditKind
from lk_core.access.context import AccessContext
from lk_core.access.errors import RegistrationNotConfirmed, SignInFailed
from lk_core.access.guarding import audit, open_session, release_attempt, reserve_attempt
from lk_core.access.sessions import Session, session_id_hash
from lk_core.access.throttling import Throttled, buckets
from lk_core.accounts.account import AccountNumber
from lk_core.kernel.errors import InvalidValue


def _account_key(text: str) -> str:
    try:
        return AccountNumber.parse(text).key
    except InvalidValue:
        # Still counted and checked against the dummy hash: no shortcut tells it apart.
        return "?" + "".join(text.split())[:20]


def sign_in(
    ctx: AccessContext, number: str, password: str, *, ip: str, current_session: str | None
) -> str:
    """Check the pair and open a signed-in session; return its id for the cookie."""
    now = ctx.clock.now()
    key = _account_key(number)
    guarded = buckets(ctx.throttle.sign_in, account=key, ip=ip)
    with ctx.uow_factory() as uow:
        try:
            reserve_attempt(uow, guarded, now)
        except Throttled:
            audit(uow, AuditKind.SIGN_IN_THROTTLED, now, account_key=key, ip=ip)
            uow.commit()
            raise
        registration = uow.registrations.get(key)
        uow.commit()
    # The attempt is counted: argon2 runs outside any transaction (it is slow on purpose).
    stored_hash = registration.password_hash if registration else ctx.dummy_hash
    matches = ctx.hasher.verify(stored_hash, password) and registration is not None
    with ctx.uow_factory() as uow:
        if not matches or registration is None:
            audit(uow, AuditKind.SIGN_IN_FAILED, now, account_key=key, ip=ip)
            uow.commit()
            raise SignInFailed()
        release_attempt(uow, guarded, now)  # only failures count
        if not registration.is_confirmed:
            uow.commit()
            raise RegistrationNotConfirmed()
        raw = open_session(uow, now, current_session, registration_key=key)
        audit(uow, AuditKind.SIGN_IN, now, account_key=key, ip=ip)
        uow.commit()
        return raw


def sign_out(ctx: AccessContext, raw_session: str | None, *, ip: str) -> None:
    """Forget the session on the server; signing out twice is harmless."""
    if not raw_session:
        return
    now = ctx.clock.now()
    with ctx.uow_factory() as uow:
        session = uow.sessions.get(session_id_hash(raw_session))
        if session is not None:
            uow.sessions.delete(session.id_hash)
            audit(uow, AuditKind.SIGN_OUT, now, account_key=session.registration_key, ip=ip)
        uow.commit()


TOUCH_EVERY = dt.timedelta(minutes=1)


def current_session(ctx: AccessContext, raw_session: str | None) -> Session | None:
    """The live session for a cookie, its last-seen time refreshed (at most once a minute)."""
    if not raw_session:
        return None
    now = ctx.clock.now()
    with ctx.uow_factory(read_only=True) as uow:
        session = uow.sessions.get(session_id_hash(raw_session))
    if session is None or not keep_alive(ctx, session, now):
        return None
    return session


def keep_alive_due(ctx: AccessContext, session: Session, now: dt.datetime) -> bool:
    """Whether `keep_alive` would write: the session expired, or a touch is due."""
    return session.is_expired(now, ctx.sessions) or now - session.last_seen_at >= TOUCH_EVERY


def keep_alive(ctx: AccessContext, session: Session, now: dt.datetime) -> bool:
    """Whether a session just read is still live: an expired one is forgotten, a live one
    has its last-seen time refreshed (at most once a minute, so most pages write nothing)."""
    if session.is_expired(now, ctx.sessions):
        with ctx.uow_factory() as uow:
            uow.sessions.delete(session.id_hash)
            uow.commit()
        return False
    if now - session.last_seen_at >= TOUCH_EVERY:
        with ctx.uow_factory() as uow:
            session.last_seen_at = now
            uow.sessions.save(session)
            uow.commit()
    return True
