"""The task queue port: in process (SQLite) and procrastinate (PostgreSQL) behave alike.

A task enqueued runs with its arguments, from the database's truth; a name no task has is
refused where it is enqueued, not later in a worker.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import SQL_DATABASES
from lk_adapters.container import Container
from lk_adapters.tasks.catalogue import DELIVER_OUTBOX, PURGE_EXPIRED, VERIFY_PAYMENTS
from lk_core.messaging.messages import EmailMessage
from lk_core.messaging.outbox import OutboxStatus, queue_email
from lk_core.payments.pending_verification import PendingVerification
from task_queues import container_over, run_queued_jobs


@pytest.fixture(params=SQL_DATABASES)
def container(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Container]:
    with container_over(request.param, tmp_path) as container:
        yield container


def queue_a_message(container: Container) -> str:
    message = queue_email(
        EmailMessage("anna@example.ru", "Проверка", "Текст"),
        dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1),
    )
    with container.uow_factory()() as uow:
        uow.outbox.add(message)
        uow.commit()
    return message.id


def test_a_delivery_task_enqueued_delivers_what_the_outbox_holds(container: Container) -> None:
    message_id = queue_a_message(container)

    container.task_queue().enqueue(DELIVER_OUTBOX)
    run_queued_jobs(container)

    with container.uow_factory()(read_only=True) as uow:
        message = uow.outbox.get(message_id)
    assert message is not None
    assert message.status is OutboxStatus.SENT


def test_a_task_run_twice_does_its_work_once(container: Container) -> None:
    message_id = queue_a_message(container)

    container.task_queue().enqueue(DELIVER_OUTBOX)
    container.task_queue().enqueue(DELIVER_OUTBOX)
    run_queued_jobs(container)

    with container.uow_factory()(read_only=True) as uow:
        message = uow.outbox.get(message_id)
    assert message is not None
    assert message.status is OutboxStatus.SENT
    assert message.attempts <= 1


def test_a_purge_task_forgets_throttle_windows_older_than_any_limit(
    container: Container,
) -> None:
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    old, recent = now - dt.timedelta(days=30), now - dt.timedelta(minutes=1)
    with container.uow_factory()() as uow:
        uow.rate_counters.hit("sign-in:old", old)
        uow.rate_counters.hit("sign-in:recent", recent)
        uow.commit()

    container.task_queue().enqueue(PURGE_EXPIRED)
    run_queued_jobs(container)

    with container.uow_factory()(read_only=True) as uow:
        counts = uow.rate_counters.counts([("sign-in:old", old), ("sign-in:recent", recent)])
    assert counts == [0, 1]


def test_a_verification_task_settles_every_due_notification(container: Container) -> None:
    now = dt.datetime.now(dt.UTC)
    with container.uow_factory()() as uow:
        for n in range(3):  # named by no provider we know: dropped as unknown
            uow.payment_verifications.add(PendingVerification("nobody", f"p-{n}", now, now))
        uow.commit()

    container.task_queue().enqueue(VERIFY_PAYMENTS)
    run_queued_jobs(container)

    with container.uow_factory()(read_only=True) as uow:
        assert uow.payment_verifications.soonest_due() is None


def test_a_task_no_one_defined_is_refused_when_enqueued(container: Container) -> None:
    with pytest.raises(KeyError, match="no background task"):
        container.task_queue().enqueue("receipts.make_everything")
