"""The outbox: messages queued once, claimed by one worker at a time, sent or retried."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from lk_core.messaging.outbox import OutboxMessage, OutboxStatus
from lk_core.unit_of_work import UnitOfWorkFactory

from .builders import MOSCOW, NOON, a_pdf, a_queued_email, a_queued_sms, an_email, at

LEASE = dt.timedelta(minutes=5)


def queued(uow_factory: UnitOfWorkFactory, *messages: OutboxMessage) -> None:
    with uow_factory() as uow:
        for message in messages:
            assert uow.outbox.add(message)
        uow.commit()


def claim(uow_factory: UnitOfWorkFactory, now: dt.datetime, limit: int = 10) -> list[str]:
    with uow_factory() as uow:
        claimed = uow.outbox.claim_due(now, limit, LEASE)
        uow.commit()
    return [message.id for message in claimed]


def stored(uow_factory: UnitOfWorkFactory, message_id: str) -> OutboxMessage:
    with uow_factory() as uow:
        message = uow.outbox.get(message_id)
    assert message is not None
    return message


def test_a_queued_email_is_found_whole_with_its_attachments_byte_exact(
    uow_factory: UnitOfWorkFactory,
) -> None:
    every_byte = bytes(range(256)) * 40
    message = a_queued_email(
        "m1",
        created_at=at(1).astimezone(MOSCOW),
        email=an_email(
            to="ivanov@mail.ru",
            subject="Квитанция за октябрь 2026",
            text="Здравствуйте!\nКвитанция во вложении.",
            html="<p>Здравствуйте!</p>",
            attachments=(a_pdf("квитанция.pdf", every_byte), a_pdf("empty.pdf", b"")),
        ),
        dedupe_key="receipt:100234:202610",
    )

    queued(uow_factory, message)

    found = stored(uow_factory, "m1")
    assert found == message
    assert found.status is OutboxStatus.PENDING
    assert found.next_attempt_at == at(1)
    assert found.email is not None
    assert [a.content for a in found.email.attachments] == [every_byte, b""]


def test_a_queued_sms_is_found_as_queued(uow_factory: UnitOfWorkFactory) -> None:
    message = a_queued_sms("m1")

    queued(uow_factory, message)

    assert stored(uow_factory, "m1") == message


def test_an_unknown_id_finds_no_message(uow_factory: UnitOfWorkFactory) -> None:
    with uow_factory() as uow:
        uow.outbox.add(a_queued_email("m1"))
        assert uow.outbox.get("m2") is None


def test_a_message_whose_dedupe_key_is_queued_already_is_not_added(
    uow_factory: UnitOfWorkFactory,
) -> None:
    queued(uow_factory, a_queued_email("m1", dedupe_key="receipt:100234:202610"))

    with uow_factory() as uow:
        again = a_queued_email(
            "m2", email=an_email(attachments=(a_pdf(),)), dedupe_key="receipt:100234:202610"
        )
        assert uow.outbox.add(again) is False
        assert uow.outbox.add(a_queued_email("m3", dedupe_key="receipt:100234:202611"))
        uow.commit()

    with uow_factory() as uow:
        assert uow.outbox.get("m2") is None
        assert [message.id for message in uow.outbox.recent(10)] == ["m3", "m1"]


def test_messages_without_a_dedupe_key_are_always_added(uow_factory: UnitOfWorkFactory) -> None:
    with uow_factory() as uow:
        assert uow.outbox.add(a_queued_sms("m1"))
        assert uow.outbox.add(a_queued_sms("m2"))
        assert uow.outbox.add(a_queued_email("m3"))

        assert {message.id for message in uow.outbox.recent(10)} == {"m1", "m2", "m3"}


def test_due_messages_are_claimed_oldest_first_up_to_the_limit_and_marked_sending(
    uow_factory: UnitOfWorkFactory,
) -> None:
    queued(
        uow_factory,
        a_queued_email("m1", created_at=at(2)),
        a_queued_sms("m2", created_at=at(0)),
        a_queued_email("m3", created_at=at(1)),
    )

    with uow_factory() as uow:
        claimed = uow.outbox.claim_due(at(10), 2, LEASE)
        uow.commit()

    assert [message.id for message in claimed] == ["m2", "m3"]
    assert {message.status for message in claimed} == {OutboxStatus.SENDING}
    assert stored(uow_factory, "m2").status is OutboxStatus.SENDING
    assert stored(uow_factory, "m1").status is OutboxStatus.PENDING


def test_a_claimed_email_comes_with_its_attachments(uow_factory: UnitOfWorkFactory) -> None:
    message = a_queued_email("m1", email=an_email(attachments=(a_pdf("a.pdf"), a_pdf("b.pdf"))))
    queued(uow_factory, message)

    with uow_factory() as uow:
        [claimed] = uow.outbox.claim_due(at(0), 10, LEASE)

    assert claimed.email == message.email


def test_a_message_is_due_from_its_next_attempt_time_on(uow_factory: UnitOfWorkFactory) -> None:
    queued(
        uow_factory,
        a_queued_email("m1", next_attempt_at=at(10)),
        a_queued_email("m2", next_attempt_at=at(11)),
    )

    assert claim(uow_factory, at(9)) == []
    assert claim(uow_factory, at(10)) == ["m1"]


def test_a_claimed_message_is_not_claimed_again_while_its_lease_lasts(
    uow_factory: UnitOfWorkFactory,
) -> None:
    queued(uow_factory, a_queued_email("m1"))

    assert claim(uow_factory, at(0)) == ["m1"]
    assert claim(uow_factory, at(1)) == []
    assert claim(uow_factory, at(0) + LEASE) == []


def test_a_message_whose_lease_ran_out_is_claimed_again(uow_factory: UnitOfWorkFactory) -> None:
    queued(uow_factory, a_queued_email("m1"))
    claim(uow_factory, at(0))

    assert claim(uow_factory, at(6)) == ["m1"]
    assert claim(uow_factory, at(7)) == []
    assert claim(uow_factory, at(12)) == ["m1"]


def test_a_claim_rolled_back_leaves_the_message_due(uow_factory: UnitOfWorkFactory) -> None:
    queued(uow_factory, a_queued_email("m1"))

    with uow_factory() as uow:
        uow.outbox.claim_due(at(0), 10, LEASE)
        uow.rollback()

    assert claim(uow_factory, at(0)) == ["m1"]


def test_a_sent_message_records_when_and_one_more_attempt_and_is_never_claimed_again(
    uow_factory: UnitOfWorkFactory,
) -> None:
    queued(uow_factory, a_queued_email("m1"))
    claim(uow_factory, at(0))

    with uow_factory() as uow:
        uow.outbox.mark_sent("m1", at(1))
        uow.commit()

    sent = stored(uow_factory, "m1")
    assert (sent.status, sent.sent_at, sent.attempts) == (OutboxStatus.SENT, at(1), 1)
    assert claim(uow_factory, at(60)) == []


def test_a_failed_attempt_is_recorded_and_retried_at_the_time_given(
    uow_factory: UnitOfWorkFactory,
) -> None:
    queued(uow_factory, a_queued_sms("m1"))
    claim(uow_factory, at(0))

    with uow_factory() as uow:
        uow.outbox.mark_failed("m1", "SMS gateway answered 503", retry_at=at(2))
        uow.commit()

    failed = stored(uow_factory, "m1")
    assert (failed.status, failed.attempts, failed.next_attempt_at, failed.last_error) == (
        OutboxStatus.PENDING,
        1,
        at(2),
        "SMS gateway answered 503",
    )
    assert claim(uow_factory, at(1)) == []
    assert claim(uow_factory, at(2)) == ["m1"]


def test_failed_attempts_add_up(uow_factory: UnitOfWorkFactory) -> None:
    queued(uow_factory, a_queued_sms("m1"))

    for minute in (0, 10, 20):
        claim(uow_factory, at(minute))
        with uow_factory() as uow:
            uow.outbox.mark_failed("m1", f"timeout at {minute}", retry_at=at(minute + 5))
            uow.commit()

    message = stored(uow_factory, "m1")
    assert (message.attempts, message.last_error) == (3, "timeout at 20")


def test_a_message_given_up_on_is_failed_and_never_claimed_again(
    uow_factory: UnitOfWorkFactory,
) -> None:
    queued(uow_factory, a_queued_email("m1"))
    claim(uow_factory, at(0))

    with uow_factory() as uow:
        uow.outbox.mark_failed("m1", "550 mailbox unavailable", retry_at=None)
        uow.commit()

    given_up = stored(uow_factory, "m1")
    assert (given_up.status, given_up.attempts, given_up.last_error) == (
        OutboxStatus.FAILED,
        1,
        "550 mailbox unavailable",
    )
    assert claim(uow_factory, at(60 * 24)) == []


def test_an_error_is_kept_to_its_first_500_characters(uow_factory: UnitOfWorkFactory) -> None:
    queued(uow_factory, a_queued_email("m1"))

    with uow_factory() as uow:
        uow.outbox.mark_failed("m1", "ошибка " + "x" * 600, retry_at=at(1))
        uow.commit()

    assert stored(uow_factory, "m1").last_error == ("ошибка " + "x" * 600)[:500]


def test_the_most_recently_queued_messages_are_listed_newest_first_up_to_the_limit(
    uow_factory: UnitOfWorkFactory,
) -> None:
    queued(
        uow_factory,
        a_queued_email("m1", created_at=at(1)),
        a_queued_sms("m2", created_at=at(3)),
        a_queued_email("m3", created_at=at(0)),
        a_queued_email("m4", created_at=at(2)),
    )

    with uow_factory() as uow:
        assert [message.id for message in uow.outbox.recent(3)] == ["m2", "m4", "m1"]


def test_a_message_queued_in_a_rolled_back_unit_of_work_is_not_kept(
    uow_factory: UnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        uow.outbox.add(a_queued_email("m1", email=an_email(attachments=(a_pdf(),))))
        uow.rollback()

    with uow_factory() as uow:
        assert uow.outbox.get("m1") is None
        assert uow.outbox.recent(10) == []


@pytest.mark.postgres
def test_two_workers_claiming_at_once_never_get_the_same_message(
    postgres_uow_factory: UnitOfWorkFactory,
) -> None:
    uow_factory = postgres_uow_factory
    ids = [f"m{n}" for n in range(10)]
    queued(uow_factory, *(a_queued_email(i, created_at=NOON) for i in ids))
    both_start = threading.Barrier(2, timeout=10)
    both_claimed = threading.Barrier(2, timeout=10)

    def worker() -> set[str]:
        with uow_factory() as uow:
            both_start.wait()
            claimed = uow.outbox.claim_due(at(0), 5, LEASE)
            both_claimed.wait()
            uow.commit()
        return {message.id for message in claimed}

    with ThreadPoolExecutor(2) as pool:
        first, second = (pool.submit(worker) for _ in range(2))
        first_claimed, second_claimed = first.result(timeout=30), second.result(timeout=30)

    assert first_claimed.isdisjoint(second_claimed)
    assert first_claimed | second_claimed == set(ids)
