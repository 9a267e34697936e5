"""`lk outbox run` and `lk outbox list` as an operator runs them, on a real SQLite file,
with a real SMTP server and an SMS.ru look-alike on 127.0.0.1 outside demo mode."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from click.testing import CliRunner, Result

from company_env import A_COMPANY
from lk_adapters.sqlalchemy.engine import make_engine
from lk_adapters.sqlalchemy.migrations import upgrade_database
from lk_adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWorkFactory
from lk_cli.main import cli
from lk_core.messaging.messages import EmailMessage, SmsMessage
from lk_core.messaging.outbox import queue_email, queue_sms
from sms_ru_server import sms_ru_server

RESET_LINK = "https://lk.uk-dom.ru/reset/Zq3xT0k3nSecretSecretSecret"
CODE_TEXT = "Код для входа: 482913"
API_ID = "6F1C2B3A-0000-4E5D-9A8B-SECRETAPIID1"


def run(env: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(cli, ["outbox", *args], env=env, catch_exceptions=False)


def queue_two_messages(database_url: str) -> None:
    """A reset e-mail and an SMS code, queued a minute ago."""
    engine = make_engine(database_url)
    try:
        upgrade_database(engine)
        uow_factory = SqlAlchemyUnitOfWorkFactory(engine)
        minute_ago = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
        with uow_factory() as uow:
            uow.outbox.add(
                queue_email(
                    EmailMessage("anna@example.ru", "Восстановление пароля", RESET_LINK),
                    minute_ago,
                )
            )
            uow.outbox.add(queue_sms(SmsMessage("+79123456789", CODE_TEXT), minute_ago))
            uow.commit()
    finally:
        engine.dispose()


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'lk.sqlite3'}"


@pytest.fixture
def demo_env(database_url: str) -> dict[str, str]:
    return {"LK_DEMO": "1", "LK_DATABASE_URL": database_url, "COLUMNS": "200"}


class Inbox:
    def __init__(self) -> None:
        self.envelopes: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append(envelope)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def smtp_inbox() -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture
def sms_ru() -> Iterator[tuple[list[dict[str, list[str]]], str]]:
    """An SMS.ru look-alike accepting every SMS; yields the forms it got and its URL."""
    with sms_ru_server() as running:
        yield running


def production_env(database_url: str, smtp_port: int, sms_url: str) -> dict[str, str]:
    return {
        "LK_DATABASE_URL": database_url,
        "LK_SECRET_KEY": "k" * 40,
        **A_COMPANY,
        "LK_MAIL_HOST": "127.0.0.1",
        "LK_MAIL_PORT": str(smtp_port),
        "LK_MAIL_STARTTLS": "false",
        "LK_MAIL_SENDER": "noreply@uk-dom.ru",
        "LK_SMS_API_ID": API_ID,
        "LK_SMS_BASE_URL": sms_url,
        "COLUMNS": "200",
    }


def test_in_demo_mode_the_worker_marks_queued_messages_sent_and_exits_with_once(
    database_url: str, demo_env: dict[str, str]
) -> None:
    queue_two_messages(database_url)

    result = run(demo_env, "run", "--once")

    assert result.exit_code == 0, result.output
    assert "отправлено: 2, повторим позже: 0, не отправлено: 0" in result.output
    assert "Очередь разобрана." in result.output
    listing = run(demo_env, "list").output
    assert listing.count("отправлено") == 2


def test_the_worker_logs_a_json_line_for_its_start_each_batch_and_its_stop_on_stderr(
    database_url: str, demo_env: dict[str, str]
) -> None:
    queue_two_messages(database_url)

    result = run(demo_env, "run", "--once")

    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stderr.splitlines()]  # every line is JSON
    assert [line["event"] for line in lines] == [
        "outbox worker started",
        "outbox delivered",
        "outbox worker stopped",
    ]
    assert all(line["command"] == "outbox run" and line["level"] == "info" for line in lines)
    assert all(line["timestamp"].endswith("Z") for line in lines)
    delivered = lines[1]
    assert (delivered["sent"], delivered["retried"], delivered["failed"]) == (2, 0, 0)
    assert lines[2]["reason"] == "queue empty"
    assert "{" not in result.stdout  # the operator's report stays plain text on stdout
    assert RESET_LINK not in result.stderr
    assert CODE_TEXT not in result.stderr


def test_without_once_the_worker_keeps_going_until_ctrl_c_and_then_stops_cleanly(
    database_url: str, demo_env: dict[str, str]
) -> None:
    queue_two_messages(database_url)
    ctrl_c = threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT))
    ctrl_c.start()
    try:
        result = run(demo_env, "run", "--interval", "0.1")
    finally:
        ctrl_c.cancel()

    assert result.exit_code == 0, result.output
    assert "отправлено: 2" in result.output
    assert result.output.rstrip().endswith("Остановлено.")
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_with_nothing_due_the_worker_says_so_and_exits(demo_env: dict[str, str]) -> None:
    result = run(demo_env, "run", "--once")

    assert result.exit_code == 0, result.output
    assert "отправлено:" not in result.output
    assert "Очередь разобрана." in result.output


def test_outside_demo_mode_mail_goes_to_the_smtp_server_and_sms_to_sms_ru(
    database_url: str, smtp_inbox: tuple[Inbox, int], sms_ru: tuple[list[Any], str]
) -> None:
    (inbox, smtp_port), (forms, sms_url) = smtp_inbox, sms_ru
    env = production_env(database_url, smtp_port, sms_url)
    queue_two_messages(database_url)

    result = run(env, "run", "--once")

    assert result.exit_code == 0, result.output
    assert "отправлено: 2" in result.output
    (envelope,) = inbox.envelopes
    assert envelope.rcpt_tos == ["anna@example.ru"]
    (form,) = forms
    assert form["to"] == ["79123456789"]
    assert form["msg"] == [CODE_TEXT]
    assert API_ID not in result.output


def test_a_gateway_that_is_down_leaves_the_message_for_a_later_retry(
    database_url: str, sms_ru: tuple[list[Any], str]
) -> None:
    _, sms_url = sms_ru
    env = production_env(database_url, free_port(), sms_url)  # nothing listens for SMTP
    queue_two_messages(database_url)

    result = run(env, "run", "--once")
    listing = run(env, "list").output

    assert result.exit_code == 0, result.output
    assert "отправлено: 1, повторим позже: 1, не отправлено: 0" in result.output
    assert "ждёт" in listing
    assert "connection refused" in listing


def test_outside_demo_mode_without_gateways_the_worker_does_not_start(
    database_url: str,
) -> None:
    env = {"LK_DATABASE_URL": database_url, "LK_SECRET_KEY": "k" * 40, **A_COMPANY}

    result = CliRunner().invoke(cli, ["outbox", "run", "--once"], env=env)

    assert result.exit_code == 2
    assert "LK_MAIL_HOST" in result.output
    assert "LK_SMS_API_ID" in result.output


def test_the_list_shows_masked_recipients_and_subjects_but_never_a_body(
    database_url: str, demo_env: dict[str, str]
) -> None:
    queue_two_messages(database_url)

    result = run(demo_env, "list", "--limit", "10")

    assert result.exit_code == 0, result.output
    assert "a•••@example.ru" in result.output
    assert "+7 ••• •••-67-89" in result.output
    assert "Восстановление пароля" in result.output
    assert "ждёт" in result.output
    for secret in ("anna@example.ru", "79123456789", RESET_LINK, "482913"):
        assert secret not in result.output


def test_the_list_of_an_empty_queue_says_it_is_empty(demo_env: dict[str, str]) -> None:
    result = run(demo_env, "list")

    assert result.exit_code == 0, result.output
    assert "Очередь пуста." in result.output
