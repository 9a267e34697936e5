"""Messages to residents: the transactional outbox, the texts of notices, and
delivery through the e-mail and SMS gateways with retries.

Everything in `__all__` is public (see `docs/embedding.md` on versioning); other modules
and names are internal.
"""

from __future__ import annotations

from lk_core.messaging.delivery import (
    ERROR_TEXT_LIMIT,
    DeliveryFailed,
    DeliveryReport,
    deliver_due_messages,
    recent_messages,
)
from lk_core.messaging.messages import Attachment, EmailMessage, SmsMessage
from lk_core.messaging.notices import (
    account_linked,
    email_change_link,
    email_changed,
    masked_email,
    password_changed,
    password_reset_link,
    registration_link,
    sms_code,
)
from lk_core.messaging.outbox import (
    MAX_ATTEMPTS,
    OutboxMessage,
    OutboxStatus,
    queue_email,
    queue_sms,
    retry_delay,
)
from lk_core.messaging.ports import Mailer, MessagingUnitOfWork, OutboxRepository, SmsSender

__all__ = [
    "ERROR_TEXT_LIMIT",
    "MAX_ATTEMPTS",
    "Attachment",
    "DeliveryFailed",
    "DeliveryReport",
    "EmailMessage",
    "Mailer",
    "MessagingUnitOfWork",
    "OutboxMessage",
    "OutboxRepository",
    "OutboxStatus",
    "SmsMessage",
    "SmsSender",
    "account_linked",
    "deliver_due_messages",
    "email_change_link",
    "email_changed",
    "masked_email",
    "password_changed",
    "password_reset_link",
    "queue_email",
    "queue_sms",
    "recent_messages",
    "registration_link",
    "retry_delay",
    "sms_code",
]
