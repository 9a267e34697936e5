"""On PostgreSQL a wake-up job is deferred in the very transaction that queues a message or
stores a payment notification (ADR 0058): none when it rolls back, one when it commits,
and no more than one waiting however many follow."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from lk_adapters.container import Container
from lk_adapters.tasks.catalogue import DELIVER_OUTBOX, VERIFY_PAYMENTS
from lk_core.messaging.messages import EmailMessage
from lk_core.messaging.outbox import OutboxMessage, queue_email
from lk_core.payments.pending_verification import PendingVerification
from task_queues import container_over, jobs_of, run_queued_jobs

pytestmark = pytest.mark.postgres


@pytest.fixture
def container(tmp_path: Path) -> Iterator[Container]:
    with container_over("postgres", tmp_path) as container:
        yield container


def a_message(n: int = 1) -> OutboxMessage:
    return queue_email(
        EmailMessage(f"resident{n}@example.ru", "Проверка", "Текст"), dt.datetime.now(dt.UTC)
    )


def test_a_rolled_back_unit_of_work_leaves_no_job(container: Container) -> None:
    with container.uow_factory()() as uow:
        uow.outbox.add(a_message())
        uow.rollback()

    assert jobs_of(container, DELIVER_OUTBOX) == 0


def test_a_unit_of_work_left_without_commit_leaves_no_job(container: Container) -> None:
    def queue_then_fail() -> None:
        with container.uow_factory()() as uow:
            uow.outbox.add(a_message())
            raise RuntimeError("the use case failed after queueing")

    with pytest.raises(RuntimeError):
        queue_then_fail()

    assert jobs_of(container, DELIVER_OUTBOX) == 0


def test_a_committed_unit_of_work_leaves_exactly_one_job(container: Container) -> None:
    with container.uow_factory()() as uow:
        uow.outbox.add(a_message(1))
        uow.outbox.add(a_message(2))
        uow.commit()

    assert jobs_of(container, DELIVER_OUTBOX) == 1


def test_messages_queued_while_a_wake_up_waits_add_no_second_one(container: Container) -> None:
    for n in range(3):
        with container.uow_factory()() as uow:
            uow.outbox.add(a_message(n))
            uow.commit()

    assert jobs_of(container, DELIVER_OUTBOX) == 1


def test_a_message_queued_after_delivery_ran_wakes_it_again(container: Container) -> None:
    with container.uow_factory()() as uow:
        uow.outbox.add(a_message(1))
        uow.commit()
    run_queued_jobs(container)
    assert jobs_of(container, DELIVER_OUTBOX) == 0  # done, and deleted when it succeeded

    with container.uow_factory()() as uow:
        uow.outbox.add(a_message(2))
        uow.commit()

    assert jobs_of(container, DELIVER_OUTBOX) == 1


def test_a_stored_payment_notification_wakes_the_verifier_once_committed(
    container: Container,
) -> None:
    now = dt.datetime.now(dt.UTC)
    with container.uow_factory()() as uow:
        uow.payment_verifications.add(PendingVerification("yookassa", "p-1", now, now))
        assert jobs_of(container, VERIFY_PAYMENTS) == 0  # another connection sees nothing yet
        uow.commit()

    assert jobs_of(container, VERIFY_PAYMENTS) == 1
