"""`lk notify` with an `lk worker` running on PostgreSQL: the mailing is handed to the
worker, which queues its messages once however often it is handed over, and delivers
them to a real SMTP server and SMS gateway on 127.0.0.1 (ADR 0031, ADR 0057)."""

from __future__ import annotations

import getpass
import json
import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from conftest import postgres_url
from lk_adapters.sqlalchemy.engine import make_engine
from lk_adapters.sqlalchemy.tables import audit_log
from lk_core.messaging.outbox import OutboxStatus
from worker_processes import workers

from .test_operator_commands import Database, db, lk, template
from .test_outbox_command import Inbox, production_env, sms_ru, smtp_inbox

__all__ = ["db", "sms_ru", "smtp_inbox", "template"]
pytestmark = [pytest.mark.slow, pytest.mark.postgres]


@pytest.fixture
def database_url() -> Iterator[str]:
    """A PostgreSQL schema of its own (the task queue is PostgreSQL's)."""
    base = postgres_url()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(base)
    with admin.begin() as connection:
        connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
    try:
        scoped = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
        yield scoped.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


def wait_until_sent(db: Database, count: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        messages = db.outbox()
        if len(messages) == count and all(m.status is OutboxStatus.SENT for m in messages):
            return
        time.sleep(0.1)
    raise AssertionError([(m.recipient, m.status) for m in db.outbox()])


def test_notify_hands_a_mailing_to_the_worker_which_queues_and_sends_it_once(
    db: Database,
    database_url: str,
    template: Path,
    smtp_inbox: tuple[Inbox, int],
    sms_ru: tuple[list[dict[str, list[str]]], str],
    tmp_path: Path,
) -> None:
    inbox, port = smtp_inbox
    forms, sms_url = sms_ru
    env = production_env(database_url, port, sms_url)
    args = ("notify", "--house", "H1", "--email", "--sms", "--template", str(template))
    with workers({**os.environ, **env}, 1, tmp_path / "logs"):
        first = lk(env, *args, "--yes", "--json")
        wait_until_sent(db, 3)
        again = lk(env, *args, "--yes", "--json")
        time.sleep(2.0)  # the worker queues nothing new, sends nothing twice

    assert first.exit_code == 0, first.output
    assert json.loads(first.output)["handed_to_workers"] is True
    assert again.exit_code == 0, again.output
    assert len(db.outbox()) == 3
    assert sorted(r for e in inbox.envelopes for r in e.rcpt_tos) == [
        "ivanov@example.ru",
        "semenov@example.ru",
    ]
    assert len(forms) == 1
    with db.engine.connect() as connection:
        recorded = connection.execute(
            select(audit_log.c.actor, audit_log.c.details).where(
                audit_log.c.kind == "operator_action"
            )
        ).all()
    mailings = [actor for actor, details in recorded if '"notify"' in details]
    assert mailings == ["operator:" + getpass.getuser()] * 2  # by the worker, as the operator
