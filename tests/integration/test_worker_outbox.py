"""Messages queued on PostgreSQL reach a real SMTP server on 127.0.0.1 exactly once, sent by
two `lk worker` processes woken by the transactions that queued them (ADR 0013, 0058)."""

from __future__ import annotations

import datetime as dt
import email
import json
import os
import socket
import time
from collections import Counter
from collections.abc import Iterator
from email.header import decode_header, make_header
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from company_env import A_COMPANY
from conftest import empty_database_url
from lk_adapters.sqlalchemy.engine import make_engine
from lk_adapters.sqlalchemy.migrations import upgrade_database
from lk_adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWorkFactory
from lk_core.messaging.messages import EmailMessage
from lk_core.messaging.outbox import OutboxStatus, queue_email
from worker_processes import workers

pytestmark = [pytest.mark.slow, pytest.mark.postgres]
MESSAGES = 120
PER_TRANSACTION = 6


class Inbox:
    def __init__(self) -> None:
        self.subjects: list[str] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.content)
        self.subjects.append(str(make_header(decode_header(parsed["Subject"]))))
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


def test_two_workers_deliver_every_queued_message_exactly_once(
    smtp_inbox: tuple[Inbox, int], tmp_path: Path
) -> None:
    inbox, port = smtp_inbox
    with empty_database_url("postgres", tmp_path) as url:
        env = {**os.environ, "LK_DATABASE_URL": url, "LK_SECRET_KEY": "k" * 40, **A_COMPANY,
               "LK_MAIL_HOST": "127.0.0.1", "LK_MAIL_PORT": str(port),
               "LK_MAIL_STARTTLS": "false", "LK_MAIL_SENDER": "noreply@uk-dom.ru",
               "LK_SMS_API_ID": "unused", "LK_SMS_BASE_URL": f"http://127.0.0.1:{free_port()}",
               "LK_RECEIPTS_FOLDER": str(tmp_path / "receipts")}  # fmt: skip
        engine = make_engine(url)
        try:
            upgrade_database(engine)
            uow_factory = SqlAlchemyUnitOfWorkFactory(engine)
            with workers(env, 2, tmp_path / "logs"):
                started = time.monotonic()
                for first in range(0, MESSAGES, PER_TRANSACTION):  # as use cases queue them
                    with uow_factory() as uow:
                        for n in range(first, first + PER_TRANSACTION):
                            message = EmailMessage(f"r{n}@example.ru", f"Письмо {n}", "Текст")
                            uow.outbox.add(queue_email(message, dt.datetime.now(dt.UTC)))
                        uow.commit()
                while len(inbox.subjects) < MESSAGES and time.monotonic() - started < 180:
                    time.sleep(0.05)
                time.sleep(1.0)  # a second delivery would land now
            with uow_factory(read_only=True) as uow:
                statuses = Counter(m.status for m in uow.outbox.recent(10_000))
        finally:
            engine.dispose()

    assert Counter(inbox.subjects) == Counter(f"Письмо {n}" for n in range(MESSAGES))
    assert statuses == {OutboxStatus.SENT: MESSAGES}
    for log in sorted((tmp_path / "logs").iterdir()):  # JSON lines, as the web writes
        events = [json.loads(line) for line in log.read_text().splitlines()]
        assert events[0]["event"] == "worker started"
        assert any(e.get("task") == "outbox.deliver" for e in events)
        assert not any("@example.ru" in json.dumps(e) for e in events)
