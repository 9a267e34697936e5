"""`SmtpMailer`: e-mail through the company's SMTP server, with aiosmtplib.

The `Mailer` port is synchronous and the outbox worker is a plain loop, so each `send`
runs one short-lived event loop (`asyncio.run`): connect, send, quit. Called from a
thread that already runs an event loop (a web process, a library embedding the core),
that loop is left alone and the send runs in a helper thread with a loop of its own.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import aiosmtplib

from lk_adapters.email.mime import mime_message
from lk_adapters.settings.model import MailSettings
from lk_core.messaging.delivery import DeliveryFailed
from lk_core.messaging.messages import EmailMessage

SERVER_TEXT_LIMIT = 200


class MailDeliveryError(DeliveryFailed):
    """The SMTP server did not take the message; `permanent` for a 5xx reply (RFC 5321:
    the same transaction will fail again), temporary for 4xx, timeouts and lost
    connections. The text holds the reply, never the message."""


class SmtpMailer:
    """Sends each e-mail in its own SMTP session: STARTTLS or implicit TLS, then login."""

    def __init__(self, settings: MailSettings, *, timeout: float = 30) -> None:
        if not settings.host or not settings.sender:
            raise ValueError("SMTP needs a host and a sender address")
        self._settings = settings
        self._timeout = timeout

    def send(self, message: EmailMessage) -> None:
        """Deliver one e-mail or raise `MailDeliveryError`."""
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            asyncio.run(self._send(message))
            return
        with ThreadPoolExecutor(1, thread_name_prefix="smtp-send") as helper:
            helper.submit(asyncio.run, self._send(message)).result()

    async def _send(self, message: EmailMessage) -> None:
        s = self._settings
        mime = mime_message(message, s.sender)
        try:
            await aiosmtplib.send(
                mime,
                hostname=s.host,
                port=s.port,
                username=s.username or None,
                password=s.password if s.username else None,
                use_tls=s.tls,
                start_tls=s.starttls and not s.tls,
                timeout=self._timeout,
            )
        except aiosmtplib.SMTPRecipientsRefused as error:
            raise _refused(error) from None
        except aiosmtplib.SMTPResponseException as error:
            raise _rejected(error) from None
        except (aiosmtplib.SMTPException, OSError) as error:
            raise MailDeliveryError(
                f"SMTP {s.host}:{s.port}: {_describe(error)}", permanent=False
            ) from None


def _refused(error: aiosmtplib.SMTPRecipientsRefused) -> MailDeliveryError:
    replies = [(r.code, r.message) for r in error.recipients] or [(450, "no reply")]
    permanent = all(500 <= code < 600 for code, _ in replies)
    code, text = replies[0]
    return MailDeliveryError(
        f"SMTP {code}: recipient refused: {_shorten(text)}", permanent=permanent
    )


def _rejected(error: aiosmtplib.SMTPResponseException) -> MailDeliveryError:
    step = {
        aiosmtplib.SMTPAuthenticationError: "login refused",
        aiosmtplib.SMTPSenderRefused: "sender refused",
        aiosmtplib.SMTPDataError: "message refused",
        aiosmtplib.SMTPHeloError: "greeting refused",
    }.get(type(error), "server refused")
    return MailDeliveryError(
        f"SMTP {error.code}: {step}: {_shorten(error.message)}",
        permanent=500 <= error.code < 600,
    )


def _describe(error: BaseException) -> str:
    if isinstance(error, TimeoutError):
        return "no answer in time"
    return _shorten(str(error)) or type(error).__name__


def _shorten(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= SERVER_TEXT_LIMIT else flat[: SERVER_TEXT_LIMIT - 1] + "…"
