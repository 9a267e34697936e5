"""E-mail delivery: SMTP (`SmtpMailer`) and the choice of mailer from the settings."""

from lk_adapters.email.configured import configured_mailer
from lk_adapters.email.mime import envelope_address, mime_message
from lk_adapters.email.smtp import MailDeliveryError, SmtpMailer

__all__ = [
    "MailDeliveryError",
    "SmtpMailer",
    "configured_mailer",
    "envelope_address",
    "mime_message",
]
