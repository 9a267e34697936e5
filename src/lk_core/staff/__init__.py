"""The staff's desk (F32): staff accounts with roles, sign-in by password and a TOTP
second factor, sessions kept apart from residents', and the audit trail of staff actions
that administrators read. Use cases take a `StaffContext` (ADR 0065).

Everything in `__all__` is public (see `docs/embedding.md` on versioning); other modules
and names are internal.
"""

from __future__ import annotations

from lk_core.staff.administration import (
    StaffChange,
    StaffEnrolment,
    create_staff,
    disable_staff,
    list_staff,
    reseal_staff_secrets,
    reset_staff,
)
from lk_core.staff.context import StaffContext, StaffThrottlePolicy
from lk_core.staff.errors import (
    EnrolmentCodeFailed,
    SecondFactorFailed,
    StaffExists,
    StaffForbidden,
    StaffNotFound,
    StaffSignInFailed,
)
from lk_core.staff.members import StaffMember, StaffRole, staff_login
from lk_core.staff.ports import (
    SecondFactor,
    SecretSealer,
    StaffAuditTrail,
    StaffEventQuery,
    StaffRecoveryCodes,
    StaffRepository,
    StaffSessionRepository,
    StaffUnitOfWork,
)
from lk_core.staff.sessions import StaffSession, StaffSessionPolicy, new_staff_session
from lk_core.staff.sign_in import (
    OnDuty,
    SecondFactorExpired,
    SecondFactorStep,
    SignedIn,
    enter_enrolment_code,
    on_duty,
    purge_staff_sessions,
    recovery_codes_left,
    second_factor_step,
    sign_in_with_code,
    sign_in_with_password,
    staff_sign_out,
)
from lk_core.staff.trail import AUDIT_PAGE, AuditPage, audit_page, staff_audit

__all__ = [
    "AUDIT_PAGE",
    "AuditPage",
    "EnrolmentCodeFailed",
    "OnDuty",
    "SecondFactor",
    "SecondFactorExpired",
    "SecondFactorFailed",
    "SecondFactorStep",
    "SecretSealer",
    "SignedIn",
    "StaffAuditTrail",
    "StaffChange",
    "StaffContext",
    "StaffEnrolment",
    "StaffEventQuery",
    "StaffExists",
    "StaffForbidden",
    "StaffMember",
    "StaffNotFound",
    "StaffRecoveryCodes",
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
    "enter_enrolment_code",
    "list_staff",
    "new_staff_session",
    "on_duty",
    "purge_staff_sessions",
    "recovery_codes_left",
    "reseal_staff_secrets",
    "reset_staff",
    "second_factor_step",
    "sign_in_with_code",
    "sign_in_with_password",
    "staff_audit",
    "staff_login",
    "staff_sign_out",
]
