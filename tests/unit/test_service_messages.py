"""Service messages (F26): queued in the outbox for residents who opted in to the channel
with a consent for the contact on file; the rest are skipped and counted; a rerun sends
nobody anything twice; a dry run only counts and shows a sample."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pytest

from access_fixtures import IP, IVANOV, PETROVA, SEMENOV, SIDOROV, USER_AGENT, Portal, a_portal
from lk_core.access.audit import AuditKind
from lk_core.accounts.contacts import Email
from lk_core.kernel.money import Money
from lk_core.kernel.runtime import no_progress
from lk_core.operator.audiences import Channel, ChannelCounts
from lk_core.operator.directory import Audience
from lk_core.operator.operators import Operator
from lk_core.operator.service_messages import NotifyReport, NotifyRequest, send_service_messages
from lk_core.operator.templates import MessageTemplate
from lk_core.personal_data.additional_services import (
    AdditionalServicesForm,
    update_additional_services,
)

OPERATOR = Operator("petrova.o")
TEMPLATE = MessageTemplate.parse("Тема: Долг по счёту {number}\n\n{name}, ваш долг {debt}.")
BOTH = (Channel.SMS, Channel.EMAIL)


def opt_in(portal: Portal, number: str, *, phone: str = "", email: str = "") -> None:
    account = portal.account(number)
    form = attrs.evolve(
        AdditionalServicesForm.of_account(account),
        sms_informing=bool(phone), phone=phone or "",
        email_informing=bool(email), email=email or "",
    )  # fmt: skip
    update_additional_services(portal.ctx, number, form, ip=IP, user_agent=USER_AGENT)


@pytest.fixture
def portal() -> Portal:
    """Ivanov takes SMS and e-mail, Semenov e-mail only, Petrova nothing, and Sidorov's
    e-mail was put on file without his consent for it (say, by a billing import)."""
    portal = a_portal()
    opt_in(portal, IVANOV, phone="+7 912 000-00-01", email="ivanov@mail.ru")
    opt_in(portal, SEMENOV, email="semenov@mail.ru")
    opt_in(portal, SIDOROV, email="sidorov@mail.ru")
    with portal.uow_factory() as uow:
        sidorov = uow.accounts.get(SIDOROV)
        assert sidorov is not None
        sidorov.email = Email.parse("other.sidorov@mail.ru")
        uow.accounts.save(sidorov)
        uow.commit()
    return portal


def send(portal: Portal, audience: Audience | None = None, **changes: Any) -> NotifyReport:
    request = NotifyRequest(audience or Audience(), BOTH, TEMPLATE, "ООО «УК»", page_size=2)
    request = attrs.evolve(request, **changes)
    return send_service_messages(portal.uow_factory, portal.clock, OPERATOR, request, no_progress())


def test_only_those_opted_in_with_a_consented_contact_are_sent_to(portal: Portal) -> None:
    report = send(portal)

    assert report.selected == 4
    assert report.counts[Channel.SMS] == ChannelCounts(queued=1, opted_out=3)
    assert report.counts[Channel.EMAIL] == ChannelCounts(queued=2, opted_out=1, no_contact=1)
    sent = {(m.channel, m.recipient) for m in portal.messages()}
    assert sent == {
        ("sms", "+79120000001"),
        ("email", "ivanov@mail.ru"),
        ("email", "semenov@mail.ru"),
    }


def test_each_message_is_filled_in_for_its_account(portal: Portal) -> None:
    with portal.uow_factory() as uow:
        uow.ledger.upsert_rows([(IVANOV, 202602, "HW", 0, 123_456, 0, 0, None, None, "")])
        uow.commit()

    send(portal, channels=(Channel.EMAIL,))

    [to_ivanov] = portal.emails_to("ivanov@mail.ru")
    assert to_ivanov.email is not None
    assert to_ivanov.email.subject == "Долг по счёту 100234-А"
    assert to_ivanov.email.text == "Иванов Иван Иванович, ваш долг 1\u00a0234,56\u00a0₽.\n"


def test_running_the_same_mailing_again_sends_nobody_anything_twice(portal: Portal) -> None:
    send(portal)
    queued = len(portal.messages())

    again = send(portal)

    assert len(portal.messages()) == queued
    assert again.counts[Channel.EMAIL].queued == 0
    assert again.counts[Channel.EMAIL].already_queued == 2
    assert again.counts[Channel.SMS].already_queued == 1


def test_a_mailing_named_anew_is_sent_again(portal: Portal) -> None:
    send(portal)
    report = send(portal, campaign="долг-март")

    assert report.counts[Channel.EMAIL].queued == 2


def test_a_dry_run_queues_nothing_and_shows_a_filled_in_sample(portal: Portal) -> None:
    queued_before = len(portal.messages())

    report = send(portal, dry_run=True)

    assert len(portal.messages()) == queued_before
    assert report.dry_run
    assert report.counts[Channel.EMAIL] == ChannelCounts(queued=2, opted_out=1, no_contact=1)
    assert report.sample is not None
    assert report.sample.account_key == IVANOV
    assert report.sample.text == "Иванов Иван Иванович, ваш долг 0,00\u00a0₽."


def test_debtors_above_an_amount_and_a_house_narrow_the_audience(portal: Portal) -> None:
    with portal.uow_factory() as uow:
        uow.ledger.upsert_rows(
            [
                (IVANOV, 202602, "HW", 0, 500_000, 0, 0, None, None, ""),
                (SEMENOV, 202602, "HW", 0, 499_999, 0, 0, None, None, ""),
            ]
        )
        uow.commit()

    report = send(portal, Audience(min_debt=Money(500_000)))

    assert report.selected == 1
    assert {m.recipient for m in portal.messages() if m.dedupe_key} == {
        "+79120000001", "ivanov@mail.ru",
    }  # fmt: skip
    assert send(portal, Audience(house_code="H9")).selected == 0


def test_a_list_of_accounts_is_the_audience(portal: Portal) -> None:
    report = send(portal, Audience(account_keys=frozenset({SEMENOV, PETROVA})))

    assert report.selected == 2
    assert report.counts[Channel.EMAIL].queued == 1


def test_sms_are_spread_out_at_the_gateways_rate(portal: Portal) -> None:
    for number, phone in ((SEMENOV, "+7 912 000-00-02"), (PETROVA, "+7 912 000-00-03")):
        opt_in(portal, number, phone=phone)
    start = portal.clock.now()

    send(portal, channels=(Channel.SMS,), sms_per_minute=2)

    due = sorted(m.next_attempt_at for m in portal.messages() if m.sms and m.dedupe_key)
    assert due == [start, start + dt.timedelta(seconds=30), start + dt.timedelta(minutes=1)]


def test_a_mailing_and_a_dry_run_are_audited_under_the_operators_name(portal: Portal) -> None:
    send(portal, dry_run=True)
    send(portal, Audience(house_code="H1"))

    events = [e for e in portal.audit_events() if e.actor == "operator:petrova.o"]
    assert [e.kind for e in events] == [AuditKind.OPERATOR_VIEW, AuditKind.OPERATOR_ACTION]
    details = dict(events[1].details)
    assert details["action"] == "notify"
    assert details["audience"] == "дом H1"
    assert (details["email_queued"], details["email_skipped"], details["sms_queued"]) == (
        "2", "2", "1",
    )  # fmt: skip
