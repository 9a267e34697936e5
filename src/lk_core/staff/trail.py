"""Every staff action and view goes to the audit log with the member as its actor; admins
read the staff's part of it on the desk (F32)."""

from __future__ import annotations

import datetime as dt

import attrs

from lk_core.access.audit import AuditEvent, AuditKind
from lk_core.access.ports import AuditLog
from lk_core.staff.errors import StaffForbidden
from lk_core.staff.members import StaffMember
from lk_core.staff.ports import StaffEventQuery, StaffUnitOfWork

AUDIT_PAGE = 50


def staff_audit(
    audit: AuditLog,
    kind: AuditKind,
    now: dt.datetime,
    actor: str,
    *,
    ip: str,
    account_key: str | None = None,
    **details: str,
) -> None:
    audit.record(AuditEvent(now, kind, account_key, ip, actor, tuple(details.items())))


@attrs.frozen
class AuditPage:
    """One page of staff events, newest first, and whether an older page follows."""

    events: tuple[AuditEvent, ...]
    page: int
    has_more: bool
    members: tuple[StaffMember, ...]


def audit_page(
    uow: StaffUnitOfWork,
    viewer: StaffMember,
    query: StaffEventQuery,
    page: int,
    now: dt.datetime,
    *,
    ip: str,
    page_size: int = AUDIT_PAGE,
) -> AuditPage:
    """A page of the staff's audit trail, for an administrator only; the viewing itself is
    recorded (the caller commits)."""
    if not viewer.is_admin:
        raise StaffForbidden()
    page = max(1, page)
    found = uow.staff_audit.staff_events(query, (page - 1) * page_size, page_size + 1)
    details = {"page": "audit", "number": str(page)}
    if query.login:
        details["of"] = query.login
    staff_audit(uow.audit, AuditKind.STAFF_VIEW, now, viewer.actor, ip=ip, **details)
    return AuditPage(tuple(found[:page_size]), page, len(found) > page_size, tuple(uow.staff.all()))
