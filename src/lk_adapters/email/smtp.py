"""`SmtpMailer`: e-mail through the company's SMTP server, with the standard `smtplib`.

The `Mailer` port is synchronous and the outbox worker a plain loop, so each `send` is one
blocking SMTP session: connect, STARTTLS or implicit TLS, login, send, quit; no event loop
is started for it (ADR 0046). Called from a thread that runs an event loop, it blocks that
thread for the session, as every synchronous port does; the web process only queues mail.
"""

from __future__ import annotations

import base64
import email.utils
import functools
import smtplib
import socket
import ssl

from lk_adapters.email.mime import envelope_address, mime_message
from lk_adapters.settings.model import MailSettings
from lk_core.messaging.delivery import DeliveryFailed
from lk_core.messaging.messages import EmailMessage

SERVER_TEXT_LIMIT = 200


class MailDeliveryError(DeliveryFailed):
    """The SMTP server did not take the message; `permanent` for a 5xx reply (RFC 5321:
    the same transaction will fail again), temporary for 4xx, timeouts and lost
    connections. The text holds the reply, never the message."""


class SmtpMailer:
    """Sends each e-mail in its own SMTP session: STARTTLS or implicit TLS, then login.

    `tls_context` checks the server's certificate; by default against the system's trust
    store (a test server brings its own)."""

    def __init__(
        self,
        settings: MailSettings,
        *,
        timeout: float = 30,
        tls_context: ssl.SSLContext | None = None,
    ) -> None:
        if not settings.host or not settings.sender:
            raise ValueError("SMTP needs a host and a sender address")
        self._settings = settings
        self._timeout = timeout
        self._tls_context = tls_context

    @functools.cached_property
    def _tls(self) -> ssl.SSLContext:
        return self._tls_context or ssl.create_default_context()

    @functools.cached_property
    def _local_hostname(self) -> str:
        """What EHLO says; looked up once, not per message (it may ask DNS)."""
        return socket.getfqdn()

    def send(self, message: EmailMessage) -> None:
        """Deliver one e-mail or raise `MailDeliveryError`."""
        s = self._settings
        mime = mime_message(message, s.sender)
        sender = envelope_address(email.utils.parseaddr(s.sender)[1])
        recipient = envelope_address(message.to)
        try:
            session = self._connect()
        except (smtplib.SMTPException, OSError) as error:
            raise self._failure(error) from None
        try:
            self._start(session)
            session.ehlo_or_helo_if_needed()
            if not recipient.isascii() and not session.has_extn("smtputf8"):
                raise MailDeliveryError(
                    f"SMTP {s.host}:{s.port}: the server does not offer SMTPUTF8, which a "
                    "mailbox name in Cyrillic needs",
                    permanent=True,
                )
            session.send_message(mime, sender, [recipient])
        except (smtplib.SMTPException, OSError) as error:
            session.close()
            raise self._failure(error) from None
        except BaseException:
            session.close()
            raise
        _quit(session)

    def _connect(self) -> smtplib.SMTP:
        s = self._settings
        if s.tls:
            return smtplib.SMTP_SSL(
                s.host, s.port, self._local_hostname, timeout=self._timeout, context=self._tls
            )
        return smtplib.SMTP(s.host, s.port, self._local_hostname, timeout=self._timeout)

    def _start(self, session: smtplib.SMTP) -> None:
        """STARTTLS when asked for (a server without it gets nothing), then the login."""
        s = self._settings
        if s.starttls and not s.tls:
            session.starttls(context=self._tls)
        if s.username:
            _login(session, s.username, s.password)

    def _failure(self, error: BaseException) -> MailDeliveryError:
        if isinstance(error, smtplib.SMTPRecipientsRefused):
            return _refused(error)
        if isinstance(error, smtplib.SMTPResponseException):
            return _rejected(error)
        s = self._settings
        return MailDeliveryError(f"SMTP {s.host}:{s.port}: {_describe(error)}", permanent=False)


def _login(session: smtplib.SMTP, username: str, password: str) -> None:
    """smtplib's own login, unless the login or password is not ASCII: smtplib encodes
    them as ASCII (as of Python 3.13), so those go as UTF-8 (RFC 4954, RFC 4616) by AUTH
    PLAIN, or LOGIN when PLAIN is not offered."""
    if (username + password).isascii():
        session.login(username, password)
        return
    session.ehlo_or_helo_if_needed()
    if not session.has_extn("auth"):
        raise smtplib.SMTPNotSupportedError("SMTP AUTH extension not supported by server.")
    offered = session.esmtp_features["auth"].upper().split()
    if "PLAIN" in offered:
        token = b"\0" + username.encode() + b"\0" + password.encode()
        code, reply = session.docmd("AUTH", "PLAIN " + _base64(token))
    elif "LOGIN" in offered:
        code, reply = session.docmd("AUTH", "LOGIN " + _base64(username.encode()))
        if code == 334:
            code, reply = session.docmd(_base64(password.encode()))
    else:
        raise smtplib.SMTPException("No suitable authentication method found.")
    if code not in (235, 503):  # 503: already authenticated
        raise smtplib.SMTPAuthenticationError(code, reply)


def _base64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _quit(session: smtplib.SMTP) -> None:
    """End a session whose message was taken: a failing QUIT must not make it unsent."""
    try:
        session.quit()
    except (smtplib.SMTPException, OSError):
        session.close()


def _refused(error: smtplib.SMTPRecipientsRefused) -> MailDeliveryError:
    replies = [(code, _text(reply)) for code, reply in error.recipients.values()]
    replies = replies or [(450, "no reply")]
    permanent = all(500 <= code < 600 for code, _ in replies)
    code, text = replies[0]
    return MailDeliveryError(
        f"SMTP {code}: recipient refused: {_shorten(text)}", permanent=permanent
    )


def _rejected(error: smtplib.SMTPResponseException) -> MailDeliveryError:
    step = {
        smtplib.SMTPAuthenticationError: "login refused",
        smtplib.SMTPSenderRefused: "sender refused",
        smtplib.SMTPDataError: "message refused",
        smtplib.SMTPHeloError: "greeting refused",
    }.get(type(error), "server refused")
    return MailDeliveryError(
        f"SMTP {error.smtp_code}: {step}: {_shorten(_text(error.smtp_error))}",
        permanent=500 <= error.smtp_code < 600,
    )


def _describe(error: BaseException) -> str:
    """What went wrong, in words an operator reads in `lk outbox list`."""
    # smtplib turns a read that timed out into "connection unexpectedly closed".
    if isinstance(error, TimeoutError) or isinstance(error.__context__, TimeoutError):
        return "no answer in time"
    if isinstance(error, ConnectionRefusedError):
        return "connection refused (is the host and port right, the server up?)"
    if isinstance(error, socket.gaierror):
        return f"host not found ({_shorten(str(error))})"
    if isinstance(error, ssl.SSLCertVerificationError):
        return f"certificate not trusted: {_shorten(error.verify_message or str(error))}"
    return _shorten(str(error)) or type(error).__name__


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply


def _shorten(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= SERVER_TEXT_LIMIT else flat[: SERVER_TEXT_LIMIT - 1] + "…"
