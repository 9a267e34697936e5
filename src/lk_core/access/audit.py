"""The audit trail (152-ФЗ, SECURITY.md): security events, append-only, without secrets."""

from __future__ import annotations

import datetime as dt
import enum

import attrs


class AuditKind(enum.Enum):
    SIGN_IN = "sign_in"
    SIGN_IN_FAILED = "sign_in_failed"
    SIGN_IN_THROTTLED = "sign_in_throttled"
    SIGN_OUT = "sign_out"
    FIRST_VISIT_FAILED = "first_visit_failed"
    REGISTRATION_STARTED = "registration_started"
    REGISTRATION_CONFIRMED = "registration_confirmed"
    SMS_CODE_SENT = "sms_code_sent"
    SMS_CODE_FAILED = "sms_code_failed"
    PASSWORD_RESET_REQUESTED = "password_reset_requested"  # noqa: S105
    PASSWORD_RESET = "password_reset"  # noqa: S105
    PASSWORD_CHANGED = "password_changed"  # noqa: S105
    EMAIL_CHANGED = "email_changed"
    ACCOUNT_LINKED = "account_linked"
    ACCOUNT_UNLINKED = "account_unlinked"
    LINK_REQUESTED = "link_requested"
    LINK_REQUEST_REFUSED = "link_request_refused"
    CONSENT_GIVEN = "consent_given"
    CONSENT_WITHDRAWN = "consent_withdrawn"
    OPERATOR_ACTION = "operator_action"
    OPERATOR_VIEW = "operator_view"
    # The staff's desk (F32, ADR 0065): actor "staff:<login>".
    STAFF_SIGN_IN = "staff_sign_in"
    STAFF_SIGN_IN_FAILED = "staff_sign_in_failed"
    STAFF_SIGN_IN_THROTTLED = "staff_sign_in_throttled"
    STAFF_CODE_FAILED = "staff_code_failed"
    STAFF_SIGN_OUT = "staff_sign_out"
    STAFF_ACTION = "staff_action"
    STAFF_VIEW = "staff_view"
    # ADR 0072: the enrolment code accepted (a new key shown), a recovery code used.
    STAFF_ENROLMENT_STARTED = "staff_enrolment_started"
    STAFF_RECOVERY_CODE_USED = "staff_recovery_code_used"
    # --- JSON API tokens (ADR 0061)
    TOKEN_REFRESHED = "token_refreshed"  # noqa: S105
    TOKEN_REFUSED = "token_refused"  # noqa: S105
    TOKEN_REUSED = "token_reused"  # noqa: S105
    DEVICE_REVOKED = "device_revoked"


@attrs.frozen
class AuditEvent:
    """One security event; `details` holds names and outcomes, never passwords or codes."""

    at: dt.datetime
    kind: AuditKind
    account_key: str | None = None
    ip: str = ""
    actor: str = "resident"
    details: tuple[tuple[str, str], ...] = ()
