"""Staff accounts, kept by the operator's `lk staff` command (F32): create, disable, reset.
Passwords follow the residents' rules; a reset also clears the second factor, so the
member enrols a new one at the next sign-in, and ends every session."""

from __future__ import annotations

import attrs

from lk_core.access.audit import AuditKind
from lk_core.access.passwords import check_new_password
from lk_core.staff.context import StaffContext
from lk_core.staff.errors import StaffExists, StaffNotFound
from lk_core.staff.members import StaffMember, StaffRole, staff_login
from lk_core.staff.trail import staff_audit


def _checked_hash(ctx: StaffContext, login: str, password: str, confirmation: str) -> str:
    check_new_password(
        password, confirmation, ctx.passwords, common=ctx.common_passwords, context_words=[login]
    )
    return ctx.hasher.hash(password)


def create_staff(
    ctx: StaffContext,
    actor: str,
    login: str,
    name: str,
    role: StaffRole,
    password: str,
    confirmation: str,
) -> StaffMember:
    """A new member, who enrols the second factor at the first sign-in."""
    login = staff_login(login)
    name = " ".join(name.split()) or login
    password_hash = _checked_hash(ctx, login, password, confirmation)
    now = ctx.clock.now()
    member = StaffMember(login, name, role, password_hash, now)
    with ctx.uow_factory() as uow:
        if not uow.staff.add(member):
            raise StaffExists(login)
        staff_audit(uow.audit, AuditKind.OPERATOR_ACTION, now, actor, ip="",
                    action="staff_create", login=login, role=role.value)  # fmt: skip
        uow.commit()
    return member


@attrs.frozen
class StaffChange:
    """What a disable or reset did."""

    member: StaffMember
    sessions_ended: int


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
    """A new password, no second factor until enrolled again, no sessions; a disabled
    member stays disabled."""
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
        uow.staff.save(member)
        ended = uow.staff_sessions.delete_of(login)
        staff_audit(uow.audit, AuditKind.OPERATOR_ACTION, now, actor, ip="",
                    action="staff_reset", login=login)  # fmt: skip
        uow.commit()
    return StaffChange(member, ended)


def list_staff(ctx: StaffContext) -> list[StaffMember]:
    with ctx.uow_factory(read_only=True) as uow:
        return uow.staff.all()
