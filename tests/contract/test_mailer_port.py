"""The mailer port: every mailer takes a well-formed e-mail; SMTP against a real server
(aiosmtpd on 127.0.0.1) delivers it intact and tells permanent failures from passing ones."""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from lk_adapters.demo.outbox import DemoMailer
from lk_adapters.email import MailDeliveryError, SmtpMailer
from lk_adapters.settings.model import MailSettings
from lk_core.messaging.delivery import DeliveryFailed
from lk_core.messaging.messages import Attachment, EmailMessage
from lk_core.messaging.ports import Mailer

SENDER = "УК «Тверской дом» <noreply@uk-dom.ru>"
TOKEN_LINK = "https://lk.uk-dom.ru/reset/Zq3xT0k3nSecretSecretSecret"
# The test server asks for a login over plain text; real servers get STARTTLS or TLS.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")

RECEIPT = Attachment("Квитанция за октябрь 2026.pdf", "application/pdf", b"%PDF-1.4\n%\xe2\xe3\n")


def a_message(**changes: Any) -> EmailMessage:
    fields: dict[str, Any] = {
        "to": "anna@example.ru",
        "subject": "Восстановление пароля",
        "text": f"Чтобы задать новый пароль, откройте ссылку: {TOKEN_LINK}",
    }
    return EmailMessage(**(fields | changes))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class RecordingHandler:
    """Takes every message, or refuses recipients with a given reply."""

    def __init__(self, refuse_with: str | None = None) -> None:
        self.refuse_with = refuse_with
        self.envelopes: list[Any] = []

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if self.refuse_with:
            return self.refuse_with
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


class Accounts:
    """An authenticator knowing one login, remembering who logged in and how."""

    def __init__(self, login: str, password: str) -> None:
        self.login, self.password = login, password
        self.logins: list[tuple[str, str]] = []

    def __call__(
        self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        if not isinstance(data, LoginPassword):
            return AuthResult(success=False, handled=False)
        ok = data.login.decode() == self.login and data.password.decode() == self.password
        if ok:
            self.logins.append((mechanism, data.login.decode()))
        return AuthResult(success=ok, handled=False)


class SmtpServer:
    def __init__(self, handler: RecordingHandler, **options: Any) -> None:
        self.handler = handler
        self.port = free_port()
        self.controller = Controller(handler, hostname="127.0.0.1", port=self.port, **options)

    def settings(self, **changes: Any) -> MailSettings:
        fields: dict[str, Any] = {
            "host": "127.0.0.1",
            "port": self.port,
            "starttls": False,
            "sender": SENDER,
        }
        return MailSettings(**(fields | changes))

    @property
    def received(self) -> list[email.message.EmailMessage]:
        return [
            email.message_from_bytes(e.original_content, policy=email.policy.default)
            for e in self.handler.envelopes
        ]


def running(handler: RecordingHandler, **options: Any) -> Iterator[SmtpServer]:
    server = SmtpServer(handler, **options)
    server.controller.start()
    try:
        yield server
    finally:
        server.controller.stop()


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    yield from running(RecordingHandler())


@pytest.fixture(params=["smtp", "demo"])
def mailer(request: pytest.FixtureRequest) -> Iterator[Mailer]:
    if request.param == "demo":
        yield DemoMailer()
        return
    for server in running(RecordingHandler()):
        yield SmtpMailer(server.settings())


# Every mailer


def test_a_plain_message_is_taken(mailer: Mailer) -> None:
    mailer.send(a_message())


def test_a_message_with_html_and_a_receipt_named_in_cyrillic_is_taken(mailer: Mailer) -> None:
    mailer.send(a_message(html="<p>Квитанция во вложении</p>", attachments=(RECEIPT,)))


# SMTP: what arrives


def test_smtp_delivers_from_the_configured_sender_to_the_recipient(
    smtp_server: SmtpServer,
) -> None:
    SmtpMailer(smtp_server.settings()).send(a_message())

    (envelope,) = smtp_server.handler.envelopes
    assert envelope.mail_from == "noreply@uk-dom.ru"
    assert envelope.rcpt_tos == ["anna@example.ru"]
    (received,) = smtp_server.received
    assert received["Subject"] == "Восстановление пароля"
    assert received["From"].addresses[0].display_name == "УК «Тверской дом»"
    assert received["To"] == "anna@example.ru"
    assert received["Message-ID"].endswith("@uk-dom.ru>")
    assert received["Date"]
    assert received.get_content().strip() == a_message().text


def test_smtp_sends_headers_as_ascii_with_utf8_encoded_words(smtp_server: SmtpServer) -> None:
    SmtpMailer(smtp_server.settings()).send(a_message())

    (envelope,) = smtp_server.handler.envelopes
    headers = envelope.original_content.split(b"\r\n\r\n", 1)[0]
    assert headers.isascii()
    assert b"=?utf-8?" in headers


def test_smtp_sends_the_html_alternative_and_the_attachment_by_its_cyrillic_name(
    smtp_server: SmtpServer,
) -> None:
    SmtpMailer(smtp_server.settings()).send(
        a_message(html="<p>Квитанция во вложении</p>", attachments=(RECEIPT,))
    )

    (received,) = smtp_server.received
    assert received.get_content_type() == "multipart/mixed"
    body = received.get_body(preferencelist=("html",))
    assert body is not None
    assert "Квитанция во вложении" in body.get_content()
    (attachment,) = received.iter_attachments()
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == RECEIPT.filename
    assert attachment.get_content() == RECEIPT.content
    raw = smtp_server.handler.envelopes[0].original_content
    assert b"filename*" in raw  # RFC 2231 parameter encoding


def test_smtp_logs_in_with_the_configured_login() -> None:
    accounts = Accounts("lk@uk-dom.ru", "пароль-от-почты")
    options = {
        "authenticator": accounts,
        "auth_required": True,
        "auth_require_tls": False,
        "auth_exclude_mechanism": ["PLAIN"],
    }
    for server in running(RecordingHandler(), **options):
        settings = server.settings(username="lk@uk-dom.ru", password="пароль-от-почты")
        SmtpMailer(settings).send(a_message())
        assert accounts.logins == [("LOGIN", "lk@uk-dom.ru")]
        assert len(server.handler.envelopes) == 1


def test_a_refused_login_is_a_permanent_failure_that_does_not_show_the_password() -> None:
    options = {
        "authenticator": Accounts("lk@uk-dom.ru", "верный"),
        "auth_required": True,
        "auth_require_tls": False,
    }
    for server in running(RecordingHandler(), **options):
        settings = server.settings(username="lk@uk-dom.ru", password="неверный-пароль")
        with pytest.raises(MailDeliveryError) as raised:
            SmtpMailer(settings).send(a_message())
        assert raised.value.permanent
        assert "535" in str(raised.value)
        assert "неверный-пароль" not in str(raised.value)
        assert server.handler.envelopes == []


# SMTP: failures, permanent or passing


def test_a_recipient_refused_with_550_is_a_permanent_failure() -> None:
    for server in running(RecordingHandler(refuse_with="550 5.1.1 No such mailbox")):
        with pytest.raises(MailDeliveryError) as raised:
            SmtpMailer(server.settings()).send(a_message())
        assert raised.value.permanent
        assert "550" in str(raised.value)


def test_a_recipient_deferred_with_450_is_a_temporary_failure() -> None:
    for server in running(RecordingHandler(refuse_with="450 4.2.1 Mailbox busy, try later")):
        with pytest.raises(MailDeliveryError) as raised:
            SmtpMailer(server.settings()).send(a_message())
        assert not raised.value.permanent
        assert "450" in str(raised.value)


def test_a_failure_is_a_core_delivery_failure_and_never_quotes_the_message() -> None:
    for server in running(RecordingHandler(refuse_with="550 5.1.1 No such mailbox")):
        with pytest.raises(DeliveryFailed) as raised:
            SmtpMailer(server.settings()).send(a_message(html=f"<a href='{TOKEN_LINK}'>"))
        assert TOKEN_LINK not in str(raised.value)
        assert "Zq3xT0k3n" not in raised.value.reason


def test_nothing_listening_is_a_temporary_failure() -> None:
    settings = MailSettings(host="127.0.0.1", port=free_port(), starttls=False, sender=SENDER)
    with pytest.raises(MailDeliveryError) as raised:
        SmtpMailer(settings).send(a_message())
    assert not raised.value.permanent


def test_a_server_that_never_answers_is_a_temporary_failure() -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        settings = MailSettings(
            host="127.0.0.1", port=silent.getsockname()[1], starttls=False, sender=SENDER
        )
        with pytest.raises(MailDeliveryError) as raised:
            SmtpMailer(settings, timeout=0.5).send(a_message())
    assert not raised.value.permanent
    assert "no answer in time" in str(raised.value)


def test_with_starttls_required_a_server_without_it_gets_nothing(
    smtp_server: SmtpServer,
) -> None:
    with pytest.raises(MailDeliveryError) as raised:
        SmtpMailer(smtp_server.settings(starttls=True)).send(a_message())
    assert not raised.value.permanent
    assert smtp_server.handler.envelopes == []


def test_smtp_needs_a_host_and_a_sender() -> None:
    with pytest.raises(ValueError, match="host"):
        SmtpMailer(MailSettings(host="", sender=SENDER))
    with pytest.raises(ValueError, match="sender"):
        SmtpMailer(MailSettings(host="smtp.uk-dom.ru", sender=""))


def test_send_from_a_thread_running_an_event_loop_leaves_that_loop_alone(
    smtp_server: SmtpServer,
) -> None:
    import asyncio

    async def inside_a_loop() -> None:
        SmtpMailer(smtp_server.settings()).send(a_message())

    asyncio.run(inside_a_loop())

    (envelope,) = smtp_server.handler.envelopes
    assert envelope.rcpt_tos == ["anna@example.ru"]


def test_the_password_is_not_in_the_settings_repr() -> None:
    assert "секрет" not in repr(MailSettings(password="секрет"))
