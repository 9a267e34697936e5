"""The staff's sign-in (F32): login and password, then a TOTP code or a recovery code;
enrolment of the second factor at the first sign-in, opened by the one-time enrolment code
an operator issued (ADR 0072); the signed-in member of a cookie; sign-out.

Attempts are counted before argon2 runs and before a code is checked, as for residents
(SECURITY.md); a code is accepted once: its time step is recorded by a conditional write
that only a later step passes, so a code seen over a shoulder is worth nothing after use.
Enrolment and recovery codes are used up by conditional writes too.
"""

from __future__ import annotations

import datetime as dt

import attrs

from lk_core.access.audit import AuditKind
from lk_core.access.guarding import release_attempt, reserve_attempt
from lk_core.access.sessions import session_id_hash
from lk_core.access.sign_in import TOUCH_EVERY
from lk_core.access.throttling import Bucket, Throttled, buckets
from lk_core.kernel.errors import DomainError, InvalidValue
from lk_core.staff.codes import code_hash, is_totp_code, new_recovery_codes, normalized_code
from lk_core.staff.context import StaffContext
from lk_core.staff.errors import EnrolmentCodeFailed, SecondFactorFailed, StaffSignInFailed
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
    code next (or, without a second factor, the enrolment code)."""
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
        raw, session = new_staff_session(member.login, now, verified=False)
        uow.staff_sessions.add(session)
        uow.commit()
    return raw


@attrs.frozen
class SecondFactorStep:
    """The code page: whose it is; for a member not enrolled, whether the enrolment code is
    still to be typed, or else the key to show (QR and text)."""

    login: str
    enrolment_uri: str | None = None
    enrolment_secret: str | None = attrs.field(default=None, repr=False)
    needs_enrolment_code: bool = False


def _pending(
    ctx: StaffContext, uow: StaffUnitOfWork, raw: str | None, now: dt.datetime
) -> tuple[StaffSession, StaffMember]:
    session = uow.staff_sessions.get(session_id_hash(raw)) if raw else None
    if session is None or session.verified or session.is_expired(now, ctx.sessions):
        raise SecondFactorExpired()
    member = uow.staff.get(session.login)
    if member is None or not member.is_active:
        raise SecondFactorExpired()
    return session, member


def second_factor_step(ctx: StaffContext, raw_session: str | None) -> SecondFactorStep:
    """What the code page shows; `SecondFactorExpired` if no password step is under way.
    The new key is shown only to the session that typed the enrolment code."""
    with ctx.uow_factory(read_only=True) as uow:
        session, member = _pending(ctx, uow, raw_session, ctx.clock.now())
    if member.is_enrolled:
        return SecondFactorStep(member.login)
    secret = ctx.sealer.unseal(member.totp_secret) if member.totp_secret else None
    if not session.enrolling or secret is None:
        return SecondFactorStep(member.login, needs_enrolment_code=True)
    uri = ctx.second_factor.provisioning_uri(secret, member.login, ctx.issuer)
    return SecondFactorStep(member.login, uri, secret)


def _reserve_code_attempt(
    ctx: StaffContext, raw_session: str | None, ip: str, now: dt.datetime
) -> tuple[StaffSession, StaffMember, list[Bucket]]:
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
    return session, member, guarded


def enter_enrolment_code(ctx: StaffContext, raw_session: str | None, code: str, *, ip: str) -> str:
    """Check the one-time enrolment code of a member not enrolled (after the password) and
    use it up, storing a new sealed key; return the id of a new session that alone may see
    that key and confirm it with a first code. Counted with the code attempts."""
    now = ctx.clock.now()
    session, member, guarded = _reserve_code_attempt(ctx, raw_session, ip, now)
    if member.is_enrolled:
        raise SecondFactorExpired()
    sealed = ctx.sealer.seal(ctx.second_factor.new_secret())
    typed = code_hash(code) if normalized_code(code) else ""
    with ctx.uow_factory() as uow:
        if not typed or not uow.staff.begin_enrolment(member.login, typed, now, sealed):
            staff_audit(uow.audit, AuditKind.STAFF_CODE_FAILED, now, member.actor, ip=ip,
                        step="enrolment")  # fmt: skip
            uow.commit()
            raise EnrolmentCodeFailed()
        release_attempt(uow, guarded, now)
        uow.staff_sessions.delete(session.id_hash)
        raw, enrolling = new_staff_session(member.login, now, verified=False, enrolling=True)
        uow.staff_sessions.add(enrolling)
        staff_audit(uow.audit, AuditKind.STAFF_ENROLMENT_STARTED, now, member.actor, ip=ip)
        uow.commit()
    return raw


@attrs.frozen
class SignedIn:
    """A signed-in session's id; at enrolment, the recovery codes to show this once."""

    session_id: str = attrs.field(repr=False)
    recovery_codes: tuple[str, ...] = attrs.field(default=(), repr=False)


def sign_in_with_code(
    ctx: StaffContext, raw_session: str | None, code: str, *, ip: str
) -> SignedIn:
    """Check the code of a session past its password step: six digits from the app, or
    (once enrolled) one of the recovery codes; return a new, signed-in session (never the
    old one: no fixation). The first code that matches confirms an enrolment, which brings
    ten new recovery codes."""
    now = ctx.clock.now()
    session, member, guarded = _reserve_code_attempt(ctx, raw_session, ip, now)
    if not member.is_enrolled and not session.enrolling:
        raise SecondFactorExpired()
    if member.is_enrolled and not is_totp_code(code) and normalized_code(code):
        return _sign_in_with_recovery_code(ctx, session, member, code, guarded, ip, now)
    secret = ctx.sealer.unseal(member.totp_secret) if member.totp_secret else None
    step = (
        ctx.second_factor.matching_step(secret, normalized_code(code), now)
        if secret is not None
        else None
    )
    recovery: tuple[str, ...] = ()
    with ctx.uow_factory() as uow:
        if step is None or not uow.staff.use_totp_step(member.login, step):
            staff_audit(uow.audit, AuditKind.STAFF_CODE_FAILED, now, member.actor, ip=ip,
                        reused="yes" if step is not None else "no")  # fmt: skip
            uow.commit()
            raise SecondFactorFailed()
        release_attempt(uow, guarded, now)
        details = {}
        if not member.totp_confirmed:
            if not uow.staff.confirm_totp(member.login, member.totp_secret or ""):
                raise SecondFactorExpired()  # reset meanwhile: nothing is written
            recovery = new_recovery_codes()
            uow.staff_recovery_codes.replace(member.login, [code_hash(c) for c in recovery])
            details["enrolled"] = "yes"
        raw = _replace_session(uow, session, member.login, now)
        staff_audit(uow.audit, AuditKind.STAFF_SIGN_IN, now, member.actor, ip=ip, **details)
        uow.commit()
    return SignedIn(raw, recovery)


def _replace_session(
    uow: StaffUnitOfWork, session: StaffSession, login: str, now: dt.datetime
) -> str:
    uow.staff_sessions.delete(session.id_hash)
    raw, signed_in = new_staff_session(login, now, verified=True)
    uow.staff_sessions.add(signed_in)
    return raw


def _sign_in_with_recovery_code(
    ctx: StaffContext,
    session: StaffSession,
    member: StaffMember,
    code: str,
    guarded: list[Bucket],
    ip: str,
    now: dt.datetime,
) -> SignedIn:
    with ctx.uow_factory() as uow:
        if not uow.staff_recovery_codes.use(member.login, code_hash(code)):
            staff_audit(uow.audit, AuditKind.STAFF_CODE_FAILED, now, member.actor, ip=ip,
                        step="recovery")  # fmt: skip
            uow.commit()
            raise SecondFactorFailed()
        release_attempt(uow, guarded, now)
        left = uow.staff_recovery_codes.remaining(member.login)
        raw = _replace_session(uow, session, member.login, now)
        staff_audit(uow.audit, AuditKind.STAFF_RECOVERY_CODE_USED, now, member.actor, ip=ip,
                    left=str(left))  # fmt: skip
        staff_audit(uow.audit, AuditKind.STAFF_SIGN_IN, now, member.actor, ip=ip,
                    recovery_code="yes")  # fmt: skip
        uow.commit()
    return SignedIn(raw)


def recovery_codes_left(ctx: StaffContext, member: StaffMember) -> int:
    """How many recovery codes the member has left (the desk shows it)."""
    with ctx.uow_factory(read_only=True) as uow:
        return uow.staff_recovery_codes.remaining(member.login)


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
