"""Delivering the outbox: each message sent once, failures retried later with growing
delays, hopeless ones given up, nothing lost when a worker dies."""

from __future__ import annotations

import datetime as dt

import pytest

from lk_adapters.memory import InMemoryUnitOfWorkFactory
from lk_core.messaging import outbox
from lk_core.messaging.delivery import (
    DeliveryFailed,
    DeliveryReport,
    deliver_due_messages,
    recent_messages,
)
from lk_core.messaging.messages import EmailMessage, SmsMessage
from lk_core.messaging.outbox import OutboxMessage, OutboxStatus, queue_email, queue_sms

NOON = dt.datetime(2026, 10, 15, 12, 0, tzinfo=dt.UTC)
RESET_LINK = "https://lk.uk-dom.ru/reset/k3nSecretToken0000000000"


class Clock:
    def __init__(self, now: dt.datetime = NOON) -> None:
        self.current = now

    def now(self) -> dt.datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += dt.timedelta(**delta)


class Mailer:
    """Records what it sent; fails the first `failures` sends with the given error."""

    def __init__(self, failures: int = 0, error: Exception | None = None) -> None:
        self.failures = failures
        self.error = error or DeliveryFailed("SMTP 451: try again later", permanent=False)
        self.sent: list[EmailMessage] = []

    def send(self, message: EmailMessage) -> None:
        if self.failures:
            self.failures -= 1
            raise self.error
        self.sent.append(message)


class SmsSender:
    def __init__(self) -> None:
        self.sent: list[SmsMessage] = []

    def send(self, message: SmsMessage) -> None:
        self.sent.append(message)


def an_email(to: str = "anna@example.ru") -> EmailMessage:
    return EmailMessage(to, "Восстановление пароля", f"Откройте ссылку: {RESET_LINK}")


def queued(uow_factory: InMemoryUnitOfWorkFactory, *messages: OutboxMessage) -> list[str]:
    with uow_factory() as uow:
        for message in messages:
            uow.outbox.add(message)
        uow.commit()
    return [message.id for message in messages]


def stored(uow_factory: InMemoryUnitOfWorkFactory, message_id: str) -> OutboxMessage:
    with uow_factory() as uow:
        message = uow.outbox.get(message_id)
    assert message is not None
    return message


@pytest.fixture
def uow_factory() -> InMemoryUnitOfWorkFactory:
    return InMemoryUnitOfWorkFactory()


def test_a_queued_email_is_sent_once(uow_factory: InMemoryUnitOfWorkFactory) -> None:
    clock, mailer = Clock(), Mailer()
    (message_id,) = queued(uow_factory, queue_email(an_email(), NOON))

    first = deliver_due_messages(uow_factory, mailer, SmsSender(), clock)
    clock.advance(hours=1)
    second = deliver_due_messages(uow_factory, mailer, SmsSender(), clock)

    assert first == DeliveryReport(sent=1)
    assert second == DeliveryReport()
    assert mailer.sent == [an_email()]
    sent = stored(uow_factory, message_id)
    assert sent.status is OutboxStatus.SENT
    assert sent.sent_at == NOON


def test_a_message_queued_for_later_waits_until_then(
    uow_factory: InMemoryUnitOfWorkFactory,
) -> None:
    clock, mailer = Clock(), Mailer()
    queued(uow_factory, queue_email(an_email(), NOON + dt.timedelta(minutes=10)))

    assert deliver_due_messages(uow_factory, mailer, SmsSender(), clock) == DeliveryReport()
    clock.advance(minutes=10)
    assert deliver_due_messages(uow_factory, mailer, SmsSender(), clock).sent == 1


def test_an_sms_and_an_email_in_one_batch_each_go_to_their_own_gateway(
    uow_factory: InMemoryUnitOfWorkFactory,
) -> None:
    clock, mailer, sms_sender = Clock(), Mailer(), SmsSender()
    code = SmsMessage("+79123456789", "Код подтверждения: 482913")
    queued(uow_factory, queue_sms(code, NOON), queue_email(an_email(), NOON))

    report = deliver_due_messages(uow_factory, mailer, sms_sender, clock)

    assert report == DeliveryReport(sent=2)
    assert mailer.sent == [an_email()]
    assert sms_sender.sent == [code]


def test_a_failing_mailer_is_retried_later_with_growing_delays_and_nothing_is_lost(
    uow_factory: InMemoryUnitOfWorkFactory,
) -> None:
    clock, mailer = Clock(), Mailer(failures=3)
    (message_id,) = queued(uow_factory, queue_email(an_email(), NOON))
    retry_times = []

    for _ in range(3):
        assert deliver_due_messages(uow_factory, mailer, SmsSender(), clock).retried == 1
        waiting = stored(uow_factory, message_id)
        assert waiting.status is OutboxStatus.PENDING
        assert waiting.last_error == "SMTP 451: try again later"
        assert waiting.next_attempt_at is not None
        retry_times.append(waiting.next_attempt_at - clock.now())
        clock.advance(seconds=30)
        assert deliver_due_messages(uow_factory, mailer, SmsSender(), clock) == DeliveryReport()
        clock.current = waiting.next_attempt_at

    assert retry_times == [outbox.retry_delay(n) for n in (1, 2, 3)]
    assert retry_times == sorted(retry_times)
    assert deliver_due_messages(uow_factory, mailer, SmsSender(), clock).sent == 1
    assert mailer.sent == [an_email()]
    delivered = stored(uow_factory, message_id)
    assert delivered.status is OutboxStatus.SENT
    assert delivered.attempts == 4


def test_a_message_that_keeps_failing_is_given_up_after_the_last_attempt(
    uow_factory: InMemoryUnitOfWorkFactory,
) -> None:
    clock, mailer = Clock(), Mailer(failures=outbox.MAX_ATTEMPTS + 5)
    (message_id,) = queued(uow_factory, queue_email(an_email(), NOON))
    reports = []

    for _ in range(outbox.MAX_ATTEMPTS + 2):
        reports.append(deliver_due_messages(uow_factory, mailer, SmsSender(), clock))
        clock.advance(hours=7)

    assert [r.retried for r in reports[: outbox.MAX_ATTEMPTS - 1]] == [1] * (
        outbox.MAX_ATTEMPTS - 1
    )
    assert reports[outbox.MAX_ATTEMPTS - 1] == DeliveryReport(failed=1)
    assert reports[outbox.MAX_ATTEMPTS :] == [DeliveryReport(), DeliveryReport()]
    given_up = stored(uow_factory, message_id)
    assert given_up.status is OutboxStatus.FAILED
    assert given_up.attempts == outbox.MAX_ATTEMPTS


def test_a_permanent_failure_is_given_up_at_once(uow_factory: InMemoryUnitOfWorkFactory) -> None:
    clock = Clock()
    mailer = Mailer(failures=1, error=DeliveryFailed("SMTP 550: no such mailbox", permanent=True))
    (message_id,) = queued(uow_factory, queue_email(an_email(), NOON))

    report = deliver_due_messages(uow_factory, mailer, SmsSender(), clock)
    clock.advance(days=1)
    later = deliver_due_messages(uow_factory, mailer, SmsSender(), clock)

    assert report == DeliveryReport(failed=1)
    assert later == DeliveryReport()
    assert mailer.sent == []
    given_up = stored(uow_factory, message_id)
    assert given_up.status is OutboxStatus.FAILED
    assert given_up.attempts == 1
    assert given_up.last_error == "SMTP 550: no such mailbox"


def test_one_failing_message_does_not_hold_up_the_others(
    uow_factory: InMemoryUnitOfWorkFactory,
) -> None:
    clock, mailer = Clock(), Mailer(failures=1)
    first, second = queued(
        uow_factory,
        queue_email(an_email("first@example.ru"), NOON),
        queue_email(an_email("second@example.ru"), NOON + dt.timedelta(seconds=1)),
    )
    clock.advance(seconds=1)

    report = deliver_due_messages(uow_factory, mailer, SmsSender(), clock)

    assert report == DeliveryReport(sent=1, retried=1)
    assert stored(uow_factory, first).status is OutboxStatus.PENDING
    assert stored(uow_factory, second).status is OutboxStatus.SENT


def test_a_message_claimed_by_a_crashed_worker_is_sent_by_the_next_run_after_the_lease(
    uow_factory: InMemoryUnitOfWorkFactory,
) -> None:
    clock, mailer = Clock(), Mailer()
    lease = dt.timedelta(minutes=5)
    (message_id,) = queued(uow_factory, queue_email(an_email(), NOON))
    with uow_factory() as uow:  # a worker claims the message and dies before sending it
        assert len(uow.outbox.claim_due(clock.now(), 50, lease)) == 1
        uow.commit()

    clock.advance(minutes=4)
    while_leased = deliver_due_messages(uow_factory, mailer, SmsSender(), clock, lease=lease)
    clock.advance(minutes=1, seconds=1)
    after_lease = deliver_due_messages(uow_factory, mailer, SmsSender(), clock, lease=lease)

    assert while_leased == DeliveryReport()
    assert after_lease == DeliveryReport(sent=1)
    assert mailer.sent == [an_email()]
    assert stored(uow_factory, message_id).status is OutboxStatus.SENT


def test_a_slow_batch_stops_before_its_lease_could_run_out_and_the_rest_goes_later(
    uow_factory: InMemoryUnitOfWorkFactory,
) -> None:
    clock = Clock()
    lease = dt.timedelta(minutes=5)

    class SlowMailer(Mailer):
        def send(self, message: EmailMessage) -> None:
            clock.advance(minutes=2)
            super().send(message)

    mailer = SlowMailer()
    queued(
        uow_factory,
        *(
            queue_email(an_email(f"r{n}@example.ru"), NOON + dt.timedelta(seconds=n))
            for n in (0, 1, 2)
        ),
    )
    clock.advance(seconds=2)

    first = deliver_due_messages(uow_factory, mailer, SmsSender(), clock, lease=lease)
    after_lease = clock.now() + lease
    clock.current = after_lease + dt.timedelta(seconds=1)
    second = deliver_due_messages(uow_factory, mailer, SmsSender(), clock, lease=lease)

    assert first == DeliveryReport(sent=2, postponed=1)
    assert second == DeliveryReport(sent=1)
    assert [m.to for m in mailer.sent] == ["r0@example.ru", "r1@example.ru", "r2@example.ru"]


def test_a_batch_takes_at_most_its_size(uow_factory: InMemoryUnitOfWorkFactory) -> None:
    clock, mailer = Clock(), Mailer()
    queued(uow_factory, *(queue_email(an_email(f"r{n}@example.ru"), NOON) for n in range(5)))

    assert deliver_due_messages(uow_factory, mailer, SmsSender(), clock, batch=3).sent == 3
    assert deliver_due_messages(uow_factory, mailer, SmsSender(), clock, batch=3).sent == 2


def test_an_unexpected_error_is_retried_and_stored_without_its_text(
    uow_factory: InMemoryUnitOfWorkFactory,
) -> None:
    clock = Clock()
    mailer = Mailer(failures=1, error=ValueError(f"could not encode {RESET_LINK}"))
    (message_id,) = queued(uow_factory, queue_email(an_email(), NOON))

    report = deliver_due_messages(uow_factory, mailer, SmsSender(), clock)

    assert report == DeliveryReport(retried=1)
    waiting = stored(uow_factory, message_id)
    assert waiting.last_error == "unexpected error: ValueError"
    assert RESET_LINK not in waiting.last_error


def test_a_long_failure_reason_is_cut_short(uow_factory: InMemoryUnitOfWorkFactory) -> None:
    clock = Clock()
    mailer = Mailer(failures=1, error=DeliveryFailed("SMTP 451: " + "x" * 2000, permanent=False))
    (message_id,) = queued(uow_factory, queue_email(an_email(), NOON))

    deliver_due_messages(uow_factory, mailer, SmsSender(), clock)

    assert len(stored(uow_factory, message_id).last_error) <= 500


def test_recent_messages_are_listed_newest_first(uow_factory: InMemoryUnitOfWorkFactory) -> None:
    older, newer = queued(
        uow_factory,
        queue_email(an_email(), NOON),
        queue_email(an_email(), NOON + dt.timedelta(minutes=1)),
    )

    assert [m.id for m in recent_messages(uow_factory, 10)] == [newer, older]
    assert [m.id for m in recent_messages(uow_factory, 1)] == [newer]
