"""The mailer port: every mailer delivers a well-formed e-mail intact, to the address it
is for; SMTP against a real server (aiosmtpd on 127.0.0.1, in clear, with STARTTLS and
with implicit TLS) puts internationalised addresses in the form servers take and tells
permanent failures from passing ones."""

from __future__ import annotations

import email
import email.policy
import socket
import ssl
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
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
    """Takes every message, or refuses recipients with a given reply; notes for each
    message whether its session was encrypted."""

    def __init__(self, refuse_with: str | None = None) -> None:
        self.refuse_with = refuse_with
        self.envelopes: list[Any] = []
        self.encrypted: list[bool] = []

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if self.refuse_with:
            return self.refuse_with
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append(envelope)
        self.encrypted.append(server.transport.get_extra_info("ssl_object") is not None)
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


@dataclass(frozen=True)
class Arrived:
    """An e-mail as its recipient gets it."""

    to: str
    subject: str
    text: str
    html: str
    attachments: tuple[tuple[str, str, bytes], ...]


def as_sent(message: EmailMessage) -> Arrived:
    return Arrived(
        message.to, message.subject, message.text, message.html,
        tuple((a.filename, a.content_type, a.content) for a in message.attachments),
    )  # fmt: skip


def arrived_by_smtp(envelope: Any) -> Arrived:
    mime = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
    text, html = mime.get_body(preferencelist=("plain",)), mime.get_body(preferencelist=("html",))
    (to,) = envelope.rcpt_tos
    return Arrived(
        to,
        str(mime["Subject"]),
        text.get_content().removesuffix("\n") if text is not None else "",
        html.get_content().removesuffix("\n") if html is not None else "",
        tuple(
            (str(part.get_filename()), part.get_content_type(), part.get_content())
            for part in mime.iter_attachments()
        ),
    )


@dataclass
class MailerUnderTest:
    """A mailer, and a look at what reached the other end of it."""

    mailer: Mailer
    arrived: Callable[[], list[Arrived]]


@pytest.fixture(params=["smtp", "demo"])
def mailer(request: pytest.FixtureRequest) -> Iterator[MailerUnderTest]:
    if request.param == "demo":
        demo = DemoMailer()
        yield MailerUnderTest(demo, lambda: [as_sent(message) for message in demo.taken])
        return
    server: SmtpServer = request.getfixturevalue("smtp_server")
    yield MailerUnderTest(
        SmtpMailer(server.settings()),
        lambda: [arrived_by_smtp(envelope) for envelope in server.handler.envelopes],
    )


# Every mailer


def test_a_plain_message_arrives_as_it_was_sent(mailer: MailerUnderTest) -> None:
    mailer.mailer.send(a_message())

    assert mailer.arrived() == [as_sent(a_message())]


def test_a_message_with_html_and_a_receipt_named_in_cyrillic_arrives_whole(
    mailer: MailerUnderTest,
) -> None:
    message = a_message(html="<p>Квитанция во вложении</p>", attachments=(RECEIPT,))

    mailer.mailer.send(message)

    assert mailer.arrived() == [as_sent(message)]


def test_each_message_arrives_once_in_the_order_sent(mailer: MailerUnderTest) -> None:
    first, second = a_message(to="anna@example.ru"), a_message(to="oleg@example.ru")

    mailer.mailer.send(first)
    mailer.mailer.send(second)

    assert [arrived.to for arrived in mailer.arrived()] == ["anna@example.ru", "oleg@example.ru"]


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


def test_smtp_logs_in_with_a_password_in_cyrillic_by_login_when_plain_is_not_offered() -> None:
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


def test_smtp_logs_in_with_a_login_and_password_in_ascii_by_the_best_mechanism_offered() -> None:
    accounts = Accounts("lk@uk-dom.ru", "s3cret-Passw0rd")
    options = {"authenticator": accounts, "auth_required": True, "auth_require_tls": False}
    for server in running(RecordingHandler(), **options):
        settings = server.settings(username="lk@uk-dom.ru", password="s3cret-Passw0rd")
        SmtpMailer(settings).send(a_message())
        assert accounts.logins == [("PLAIN", "lk@uk-dom.ru")]
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
    assert "connection refused" in str(raised.value)


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


# SMTP: internationalised addresses


def test_a_domain_in_cyrillic_goes_on_the_envelope_and_in_to_in_its_ascii_form(
    smtp_server: SmtpServer,
) -> None:
    SmtpMailer(smtp_server.settings()).send(a_message(to="zhitel@почта.рф"))

    (envelope,) = smtp_server.handler.envelopes
    assert envelope.rcpt_tos == ["zhitel@xn--80a1acny.xn--p1ai"]
    assert not envelope.smtp_utf8
    (received,) = smtp_server.received
    assert received["To"] == "zhitel@xn--80a1acny.xn--p1ai"


def test_a_mailbox_name_in_cyrillic_is_sent_with_smtputf8_to_a_server_offering_it() -> None:
    for server in running(RecordingHandler(), enable_SMTPUTF8=True):
        SmtpMailer(server.settings()).send(a_message(to="житель@почта.рф"))

        (envelope,) = server.handler.envelopes
        assert envelope.rcpt_tos == ["житель@xn--80a1acny.xn--p1ai"]
        assert envelope.smtp_utf8
        (received,) = server.received
        assert received["To"] == "житель@xn--80a1acny.xn--p1ai"
        assert received["Subject"] == "Восстановление пароля"


def test_a_mailbox_name_in_cyrillic_to_a_server_without_smtputf8_fails_for_good() -> None:
    for server in running(RecordingHandler(), enable_SMTPUTF8=False):
        with pytest.raises(MailDeliveryError) as raised:
            SmtpMailer(server.settings()).send(a_message(to="житель@почта.рф"))

        assert raised.value.permanent
        assert "SMTPUTF8" in str(raised.value)
        assert server.handler.envelopes == []


# SMTP: encryption


@dataclass(frozen=True)
class Certificate:
    """A self-signed certificate for 127.0.0.1, and the contexts of each side."""

    cert: Path
    key: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert, self.key)
        return context

    def client_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.cert))


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> Certificate:
    folder = tmp_path_factory.mktemp("tls")
    made = Certificate(folder / "cert.pem", folder / "key.pem")
    try:
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
             "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
             "-keyout", str(made.key), "-out", str(made.cert)],
            check=True, capture_output=True, timeout=60,
        )  # fmt: skip
    except FileNotFoundError:
        pytest.skip("openssl is needed to make the test server's certificate")
    return made


def test_with_starttls_the_login_and_the_message_go_encrypted(certificate: Certificate) -> None:
    accounts = Accounts("lk@uk-dom.ru", "пароль-от-почты")
    options = {
        "tls_context": certificate.server_context(),
        "require_starttls": True,
        "authenticator": accounts,
        "auth_required": True,
    }
    for server in running(RecordingHandler(), **options):
        settings = server.settings(
            starttls=True, username="lk@uk-dom.ru", password="пароль-от-почты"
        )
        SmtpMailer(settings, tls_context=certificate.client_context()).send(a_message())

        assert [login for _mechanism, login in accounts.logins] == ["lk@uk-dom.ru"]
        assert server.handler.encrypted == [True]


def test_with_implicit_tls_the_session_is_encrypted_from_the_start(
    certificate: Certificate,
) -> None:
    for server in running(RecordingHandler(), ssl_context=certificate.server_context()):
        settings = server.settings(tls=True, starttls=False)
        SmtpMailer(settings, tls_context=certificate.client_context()).send(a_message())

        assert server.handler.encrypted == [True]
        assert [arrived_by_smtp(e) for e in server.handler.envelopes] == [as_sent(a_message())]


def test_a_server_certificate_not_trusted_gets_nothing_and_fails_for_now(
    certificate: Certificate,
) -> None:
    options = {"tls_context": certificate.server_context(), "require_starttls": True}
    for server in running(RecordingHandler(), **options):
        with pytest.raises(MailDeliveryError) as raised:
            SmtpMailer(server.settings(starttls=True)).send(a_message())

        assert not raised.value.permanent
        assert "certificate not trusted" in str(raised.value)
        assert server.handler.envelopes == []


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
