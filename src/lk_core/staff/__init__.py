"""The staff's desk (F32): staff accounts with roles, sign-in by password and a TOTP
second factor, sessions kept apart from residents', and the audit trail of staff actions
that administrators read. Use cases take a `StaffContext` (ADR 0065).

Everything in `__all__` is public (see `docs/embedding.md` on versioning); other modules
and names are internal.
"""

from __future__ import annotations

from lk_core.staff.administration import (
    StaffChange,
    create_staff,
    disable_staff,
    list_staff,
    reset_staff,
)
from lk_core.staff.context import StaffContext, StaffThrottlePolicy
from lk_core.staff.errors import (
    SecondFactorFailed,
    StaffExists,
    StaffForbidden,
    StaffNotFound,
    StaffSignInFailed,
)
from lk_core.staff.members import StaffMember, StaffRole, staff_login
from lk_core.staff.ports import (
    SecondFactor,
    StaffAuditTrail,
    StaffEventQuery,
    StaffRepository,
    StaffSessionRepository,
    StaffUnitOfWork,
)
from lk_core.staff.sessions import StaffSession, StaffSessionPolicy, new_staff_session
from lk_core.staff.sign_in import (
    OnDuty,
    SecondFactorExpired,
    SecondFactorStep,
    on_duty,
    purge_staff_sessions,
    second_factor_step,
    sign_in_with_code,
    sign_in_with_password,
    staff_sign_out,
)
from lk_core.staff.trail import AUDIT_PAGE, AuditPage, audit_page, staff_audit

__all__ = [
    "AUDIT_PAGE",
    "AuditPage",
    "OnDuty",
    "SecondFactor",
    "SecondFactorExpired",
    "SecondFactorFailed",
    "SecondFactorStep",
    "StaffAuditTrail",
    "StaffChange",
    "StaffContext",
    "StaffEventQuery",
    "StaffExists",
    "StaffForbidden",
    "StaffMember",
    "StaffNotFound",
    "StaffRepository",
    "StaffRole",
    "StaffSession",
    "StaffSessionPolicy",
    "StaffSessionRepository",
    "StaffSignInFailed",
    "StaffThrottlePolicy",
    "StaffUnitOfWork",
    "audit_page",
    "create_staff",
    "disable_staff",
    "list_staff",
    "new_staff_session",
    "on_duty",
    "purge_staff_sessions",
    "reset_staff",
    "second_factor_step",
    "sign_in_with_code",
    "sign_in_with_password",
    "staff_audit",
    "staff_login",
    "staff_sign_out",
]
