"""Staff accounts, kept by the operator's `lk staff` command (F32): create, disable, reset.
Passwords follow the residents' rules. A new member, and a reset one, get a one-time
enrolment code to type at the first sign-in before a new key is shown (ADR 0072); a reset
also forgets the second factor and the recovery codes and ends every session."""

from __future__ import annotations

import datetime as dt

import attrs

from lk_core.access.audit import AuditKind
from lk_core.access.passwords import check_new_password
from lk_core.staff.codes import code_hash, new_enrolment_code
from lk_core.staff.context import StaffContext
from lk_core.staff.errors import StaffExists, StaffNotFound
from lk_core.staff.members import StaffMember, StaffRole, staff_login
from lk_core.staff.trail import staff_audit


def _checked_hash(ctx: StaffContext, login: str, password: str, confirmation: str) -> str:
    check_new_password(
        password, confirmation, ctx.passwords, common=ctx.common_passwords, context_words=[login]
    )
    return ctx.hasher.hash(password)


def _issue_enrolment_code(member: StaffMember, now: dt.datetime, lifetime: dt.timedelta) -> str:
    code = new_enrolment_code()
    member.enrolment_code_hash = code_hash(code)
    member.enrolment_expires_at = now + lifetime
    return code


@attrs.frozen
class StaffEnrolment:
    """A member just created, and the one-time enrolment code to hand over (shown once)."""

    member: StaffMember
    enrolment_code: str = attrs.field(repr=False)


def create_staff(
    ctx: StaffContext,
    actor: str,
    login: str,
    name: str,
    role: StaffRole,
    password: str,
    confirmation: str,
) -> StaffEnrolment:
    """A new member, who enrols the second factor at the first sign-in with the returned
    enrolment code."""
    login = staff_login(login)
    name = " ".join(name.split()) or login
    password_hash = _checked_hash(ctx, login, password, confirmation)
    now = ctx.clock.now()
    member = StaffMember(login, name, role, password_hash, now)
    code = _issue_enrolment_code(member, now, ctx.enrolment_lifetime)
    with ctx.uow_factory() as uow:
        if not uow.staff.add(member):
            raise StaffExists(login)
        staff_audit(uow.audit, AuditKind.OPERATOR_ACTION, now, actor, ip="",
                    action="staff_create", login=login, role=role.value)  # fmt: skip
        uow.commit()
    return StaffEnrolment(member, code)


@attrs.frozen
class StaffChange:
    """What a disable or reset did; a reset's new enrolment code (shown once)."""

    member: StaffMember
    sessions_ended: int
    enrolment_code: str | None = attrs.field(default=None, repr=False)


def disable_staff(ctx: StaffContext, actor: str, login: str) -> StaffChange:
    """The member can no longer sign in; their sessions end now."""
    login = staff_login(login)
    now = ctx.clock.now()
    with ctx.uow_factory() as uow:
        member = uow.staff.get(login)
        if member is None:
            raise StaffNotFound(login)
        if member.disabled_at is None:
            member.disabled_at = now
            uow.staff.save(member)
        ended = uow.staff_sessions.delete_of(login)
        staff_audit(uow.audit, AuditKind.OPERATOR_ACTION, now, actor, ip="",
                    action="staff_disable", login=login)  # fmt: skip
        uow.commit()
    return StaffChange(member, ended)


def reset_staff(
    ctx: StaffContext, actor: str, login: str, password: str, confirmation: str
) -> StaffChange:
    """A new password, no second factor (nor recovery codes) until enrolled again with the
    new enrolment code, no sessions; a disabled member stays disabled."""
    login = staff_login(login)
    password_hash = _checked_hash(ctx, login, password, confirmation)
    now = ctx.clock.now()
    with ctx.uow_factory() as uow:
        member = uow.staff.get(login)
        if member is None:
            raise StaffNotFound(login)
        member.password_hash = password_hash
        member.totp_secret = None
        member.totp_confirmed = False
        code = _issue_enrolment_code(member, now, ctx.enrolment_lifetime)
        uow.staff.save(member)
        uow.staff_recovery_codes.replace(login, [])
        ended = uow.staff_sessions.delete_of(login)
        staff_audit(uow.audit, AuditKind.OPERATOR_ACTION, now, actor, ip="",
                    action="staff_reset", login=login)  # fmt: skip
        uow.commit()
    return StaffChange(member, ended, code)


def list_staff(ctx: StaffContext) -> list[StaffMember]:
    with ctx.uow_factory(read_only=True) as uow:
        return uow.staff.all()


def reseal_staff_secrets(ctx: StaffContext, actor: str) -> int:
    """Re-encrypt every stored TOTP key under the current secret key (after rotating
    `LK_SECRET_KEY`, the old one kept in `LK_PREVIOUS_SECRET_KEYS`); how many were. A key
    no known secret key opens is left as it is (its member needs `lk staff reset`)."""
    now = ctx.clock.now()
    resealed = 0
    with ctx.uow_factory() as uow:
        for member in uow.staff.all():
            secret = ctx.sealer.unseal(member.totp_secret) if member.totp_secret else None
            if secret is None:
                continue
            member.totp_secret = ctx.sealer.seal(secret)
            uow.staff.save(member)
            resealed += 1
        staff_audit(uow.audit, AuditKind.OPERATOR_ACTION, now, actor, ip="",
                    action="staff_reseal", count=str(resealed))  # fmt: skip
        uow.commit()
    return resealed
