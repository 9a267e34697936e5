"""Sign-in (F1), from a browser known to the account or not, and sign-out (F8)."""

from __future__ import annotations

import datetime as dt

import attrs

from lk_core.access.audit import AuditKind
from lk_core.access.context import AccessContext
from lk_core.access.devices import known_device, remember_device
from lk_core.access.errors import RegistrationNotConfirmed, SignInFailed
from lk_core.access.guarding import audit, open_session, release_attempt, reserve_password_check
from lk_core.access.sessions import Session, session_id_hash
from lk_core.access.throttling import Throttled
from lk_core.accounts.account import AccountNumber
from lk_core.kernel.errors import InvalidValue


def _account_key(text: str) -> str:
    try:
        return AccountNumber.parse(text).key
    except InvalidValue:
        # Still counted and checked against the dummy hash: no shortcut tells it apart.
        return "?" + "".join(text.split())[:20]


@attrs.frozen
class SignedIn:
    """What the browser keeps after signing in: its new session id, and its device cookie
    with a fresh token for the account (ADR 0050)."""

    session_id: str = attrs.field(repr=False)
    device_cookie: str = attrs.field(repr=False)


def sign_in_with_device(
    ctx: AccessContext,
    number: str,
    password: str,
    *,
    ip: str,
    current_session: str | None,
    device_cookie: str | None,
) -> SignedIn:
    """Check the pair and open a signed-in session. A browser whose device cookie holds a
    token for the account signs in from its own budget of attempts, so a flood against the
    account does not lock its owner out of it."""
    now = ctx.clock.now()
    key = _account_key(number)
    device = known_device(device_cookie, key, now=now, pepper=ctx.pepper)
    seen = {"device": "known"} if device is not None else {}
    with ctx.uow_factory() as uow:
        try:
            guarded = reserve_password_check(
                uow, ctx.throttle, now, account_key=key, ip=ip,
                device_id=device.device_id if device is not None else None,
            )  # fmt: skip
        except Throttled:
            audit(uow, AuditKind.SIGN_IN_THROTTLED, now, account_key=key, ip=ip, **seen)
            uow.commit()
            raise
        registration = uow.registrations.get(key)
        uow.commit()
    # The attempt is counted: argon2 runs outside any transaction (it is slow on purpose).
    stored_hash = registration.password_hash if registration else ctx.dummy_hash
    matches = ctx.hasher.verify(stored_hash, password) and registration is not None
    with ctx.uow_factory() as uow:
        if not matches or registration is None:
            audit(uow, AuditKind.SIGN_IN_FAILED, now, account_key=key, ip=ip, **seen)
            uow.commit()
            raise SignInFailed()
        release_attempt(uow, guarded, now)  # only failures count
        if not registration.is_confirmed:
            uow.commit()
            raise RegistrationNotConfirmed()
        raw = open_session(uow, now, current_session, registration_key=key)
        audit(uow, AuditKind.SIGN_IN, now, account_key=key, ip=ip, **seen)
        uow.commit()
    return SignedIn(raw, remember_device(device_cookie, key, now=now, pepper=ctx.pepper))


def sign_in(
    ctx: AccessContext, number: str, password: str, *, ip: str, current_session: str | None
) -> str:
    """Check the pair and open a signed-in session from a browser not known to the
    account; return the session id for the cookie."""
    signed_in = sign_in_with_device(
        ctx, number, password, ip=ip, current_session=current_session, device_cookie=None
    )
    return signed_in.session_id


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
