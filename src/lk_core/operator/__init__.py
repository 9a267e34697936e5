"""Operator support (F25) and service messages (F26): finding an account, its card of
registration and security events, resetting and resending, and campaigns to residents
who opted in, every action audited.

Everything in `__all__` is public (see `docs/embedding.md` on versioning); other modules
and names are internal.
"""

from __future__ import annotations

from lk_core.operator.audiences import Channel, ChannelCounts, Sample, Skip, address_for, dedupe_key
from lk_core.operator.directory import (
    AccountFound,
    AccountQuery,
    Audience,
    AudienceMember,
    AudiencePage,
    QueryKind,
    RegistrationSummary,
    full_address,
)
from lk_core.operator.errors import AccountNotFound, NothingToResend, NotRegistered, TemplateError
from lk_core.operator.operators import Operator
from lk_core.operator.ports import AccountDirectory, OperatorUnitOfWork
from lk_core.operator.service_messages import NotifyReport, NotifyRequest, send_service_messages
from lk_core.operator.support import (
    RECENT_EVENTS,
    AccountCard,
    RegistrationReset,
    account_card,
    find_accounts,
    operator_audit,
    resend_confirmation,
    reset_registration,
)
from lk_core.operator.templates import (
    DEFAULT_SUBJECT,
    FIELDS,
    SUBJECT_PREFIX,
    MessageTemplate,
    Part,
)

__all__ = [
    "DEFAULT_SUBJECT",
    "FIELDS",
    "RECENT_EVENTS",
    "SUBJECT_PREFIX",
    "AccountCard",
    "AccountDirectory",
    "AccountFound",
    "AccountNotFound",
    "AccountQuery",
    "Audience",
    "AudienceMember",
    "AudiencePage",
    "Channel",
    "ChannelCounts",
    "MessageTemplate",
    "NotRegistered",
    "NothingToResend",
    "NotifyReport",
    "NotifyRequest",
    "Operator",
    "OperatorUnitOfWork",
    "Part",
    "QueryKind",
    "RegistrationReset",
    "RegistrationSummary",
    "Sample",
    "Skip",
    "TemplateError",
    "account_card",
    "address_for",
    "dedupe_key",
    "find_accounts",
    "full_address",
    "operator_audit",
    "resend_confirmation",
    "reset_registration",
    "send_service_messages",
]
