"""The staff's sign-in (F32): login and password, then a TOTP code; enrolment of the second
factor at the first sign-in; the signed-in member of a cookie; sign-out.

Attempts are counted before argon2 runs and before a code is checked, as for residents
(SECURITY.md); a code is accepted once: its time step is recorded by a conditional write
that only a later step passes, so a code seen over a shoulder is worth nothing after use.
"""

from __future__ import annotations

import datetime as dt

import attrs

from lk_core.access.audit import AuditKind
from lk_core.access.guarding import release_attempt, reserve_attempt
from lk_core.access.sessions import session_id_hash
from lk_core.access.sign_in import TOUCH_EVERY
from lk_core.access.throttling import Throttled, buckets
from lk_core.kernel.errors import DomainError, InvalidValue
from lk_core.staff.context import StaffContext
from lk_core.staff.errors import SecondFactorFailed, StaffSignInFailed
from lk_core.staff.members import StaffMember, staff_login
from lk_core.staff.ports import StaffUnitOfWork
from lk_core.staff.sessions import StaffSession, new_staff_session
from lk_core.staff.trail import staff_audit


class SecondFactorExpired(DomainError):
    """The password step is too old (or never happened): start again."""

    code = "second_factor_expired"

    def __init__(self) -> None:
        super().__init__("Время на ввод кода истекло. Войдите снова")


def _login_key(text: str) -> str:
    try:
        return staff_login(text)
    except InvalidValue:
        # Still counted and checked against the dummy hash: no shortcut tells it apart.
        return "?" + "".join(text.split())[:32]


def sign_in_with_password(
    ctx: StaffContext, login: str, password: str, *, ip: str, current_session: str | None
) -> str:
    """Check the login and password; return the id of a session that may only enter the
    code next. A member without a second factor gets a new key to enrol."""
    now = ctx.clock.now()
    key = _login_key(login)
    actor = f"staff:{key}"
    guarded = buckets(ctx.throttle.password, login=key, ip=ip)
    with ctx.uow_factory() as uow:
        try:
            reserve_attempt(uow, guarded, now)
        except Throttled:
            staff_audit(uow.audit, AuditKind.STAFF_SIGN_IN_THROTTLED, now, actor, ip=ip)
            uow.commit()
            raise
        member = uow.staff.get(key)
        uow.commit()
    stored_hash = member.password_hash if member is not None else ctx.dummy_hash
    matches = ctx.hasher.verify(stored_hash, password) and member is not None
    with ctx.uow_factory() as uow:
        if not matches or member is None or not member.is_active:
            staff_audit(uow.audit, AuditKind.STAFF_SIGN_IN_FAILED, now, actor, ip=ip,
                        step="password")  # fmt: skip
            uow.commit()
            raise StaffSignInFailed()
        release_attempt(uow, guarded, now)  # only failures count
        if current_session:
            uow.staff_sessions.delete(session_id_hash(current_session))
        if not member.is_enrolled:
            member.totp_secret = ctx.second_factor.new_secret()
            member.totp_confirmed = False
            uow.staff.save(member)
        raw, session = new_staff_session(member.login, now, verified=False)
        uow.staff_sessions.add(session)
        uow.commit()
    return raw


@attrs.frozen
class SecondFactorStep:
    """The code page: whose it is and, while enrolling, the key to show (QR and text)."""

    login: str
    enrolment_uri: str | None = None
    enrolment_secret: str | None = attrs.field(default=None, repr=False)


def _pending(
    ctx: StaffContext, uow: StaffUnitOfWork, raw: str | None, now: dt.datetime
) -> tuple[StaffSession, StaffMember]:
    session = uow.staff_sessions.get(session_id_hash(raw)) if raw else None
    if session is None or session.verified or session.is_expired(now, ctx.sessions):
        raise SecondFactorExpired()
    member = uow.staff.get(session.login)
    if member is None or not member.is_active or member.totp_secret is None:
        raise SecondFactorExpired()
    return session, member


def second_factor_step(ctx: StaffContext, raw_session: str | None) -> SecondFactorStep:
    """What the code page shows; `SecondFactorExpired` if no password step is under way."""
    with ctx.uow_factory(read_only=True) as uow:
        _, member = _pending(ctx, uow, raw_session, ctx.clock.now())
    if member.is_enrolled or member.totp_secret is None:
        return SecondFactorStep(member.login)
    uri = ctx.second_factor.provisioning_uri(member.totp_secret, member.login, ctx.issuer)
    return SecondFactorStep(member.login, uri, member.totp_secret)


def sign_in_with_code(ctx: StaffContext, raw_session: str | None, code: str, *, ip: str) -> str:
    """Check the code of a session past its password step; return the id of a new, signed-in
    session (never the old one: no fixation). The first code that matches confirms an
    enrolment."""
    now = ctx.clock.now()
    with ctx.uow_factory() as uow:
        session, member = _pending(ctx, uow, raw_session, now)
        guarded = buckets(ctx.throttle.code, login=member.login, ip=ip)
        try:
            reserve_attempt(uow, guarded, now)
        except Throttled:
            staff_audit(uow.audit, AuditKind.STAFF_SIGN_IN_THROTTLED, now, member.actor, ip=ip,
                        step="code")  # fmt: skip
            uow.commit()
            raise
        uow.commit()
    secret = member.totp_secret or ""
    step = ctx.second_factor.matching_step(secret, "".join(code.split()), now)
    with ctx.uow_factory() as uow:
        if step is None or not uow.staff.use_totp_step(member.login, step):
            staff_audit(uow.audit, AuditKind.STAFF_CODE_FAILED, now, member.actor, ip=ip,
                        reused="yes" if step is not None else "no")  # fmt: skip
            uow.commit()
            raise SecondFactorFailed()
        release_attempt(uow, guarded, now)
        details = {}
        if not member.totp_confirmed:
            member.totp_confirmed = True
            uow.staff.save(member)
            details["enrolled"] = "yes"
        uow.staff_sessions.delete(session.id_hash)
        raw, signed_in = new_staff_session(member.login, now, verified=True)
        uow.staff_sessions.add(signed_in)
        staff_audit(uow.audit, AuditKind.STAFF_SIGN_IN, now, member.actor, ip=ip, **details)
        uow.commit()
    return raw


@attrs.frozen
class OnDuty:
    """The signed-in member of a request and their session."""

    member: StaffMember
    session: StaffSession


def on_duty(ctx: StaffContext, raw_session: str | None) -> OnDuty | None:
    """The signed-in, active member of a staff cookie; None for anyone else. An expired
    session is forgotten; a live one's last-seen time is refreshed at most once a minute."""
    if not raw_session:
        return None
    now = ctx.clock.now()
    with ctx.uow_factory(read_only=True) as uow:
        session = uow.staff_sessions.get(session_id_hash(raw_session))
        member = uow.staff.get(session.login) if session is not None else None
    if session is None or not session.verified:
        return None
    expired = session.is_expired(now, ctx.sessions)
    if expired or member is None or not member.is_active:
        with ctx.uow_factory() as uow:
            uow.staff_sessions.delete(session.id_hash)
            uow.commit()
        return None
    if now - session.last_seen_at >= TOUCH_EVERY:
        with ctx.uow_factory() as uow:
            uow.staff_sessions.touch(session.id_hash, now)
            uow.commit()
        session.last_seen_at = now
    return OnDuty(member, session)


def staff_sign_out(ctx: StaffContext, raw_session: str | None, *, ip: str) -> None:
    """Forget the staff session; signing out twice is harmless."""
    if not raw_session:
        return
    now = ctx.clock.now()
    with ctx.uow_factory() as uow:
        session = uow.staff_sessions.get(session_id_hash(raw_session))
        if session is not None:
            uow.staff_sessions.delete(session.id_hash)
            if session.verified:
                staff_audit(uow.audit, AuditKind.STAFF_SIGN_OUT, now, f"staff:{session.login}",
                            ip=ip)  # fmt: skip
        uow.commit()


def purge_staff_sessions(ctx: StaffContext) -> int:
    """Forget staff sessions past their idle or absolute timeout (`lk db purge`); the
    half-signed-in ones go with the idle ones, long after their five minutes."""
    now = ctx.clock.now()
    with ctx.uow_factory() as uow:
        ended = uow.staff_sessions.delete_expired(
            now - ctx.sessions.idle, now - ctx.sessions.absolute
        )
        uow.commit()
    return ended
