"""Service messages (F26): a template filled in per account, queued in the outbox for
each resident who opted in to the channel; a dry run only counts and shows a sample.

The audience is read a page at a time and each page's messages are committed together,
so 100,000 accounts never sit in memory and an interrupted run loses nothing: run again,
the dedupe keys skip what was queued and the rest is queued.
"""

from __future__ import annotations

import datetime as dt

import attrs

from lk_core.access.audit import AuditKind
from lk_core.kernel.runtime import Clock, ProgressReporter
from lk_core.messaging.messages import EmailMessage, SmsMessage
from lk_core.messaging.outbox import OutboxMessage, queue_email, queue_sms
from lk_core.operator.audiences import Channel, ChannelCounts, Sample, Skip, address_for, dedupe_key
from lk_core.operator.directory import Audience, AudienceMember
from lk_core.operator.operators import Operator
from lk_core.operator.support import operator_audit
from lk_core.operator.templates import MessageTemplate
from lk_core.unit_of_work import UnitOfWork, UnitOfWorkFactory


@attrs.frozen
class NotifyRequest:
    """What to send to whom. `campaign` names the mailing for its dedupe keys (by default
    the template's fingerprint); SMS are spread `sms_per_minute` apart for the gateway."""

    audience: Audience
    channels: tuple[Channel, ...]
    template: MessageTemplate
    company_name: str
    campaign: str = ""
    sms_per_minute: int = 60
    dry_run: bool = False
    page_size: int = 500

    @property
    def campaign_key(self) -> str:
        return self.campaign or self.template.fingerprint


@attrs.frozen
class NotifyReport:
    """How many accounts were selected and, per channel, what became of them."""

    selected: int
    counts: dict[Channel, ChannelCounts]
    sample: Sample | None
    campaign: str
    dry_run: bool


def _values(member: AudienceMember, company: str) -> dict[str, str]:
    account = member.account
    flat = f", кв. {account.flat}" if account.flat else ""
    return {
        "name": account.payer_name,
        "number": str(account.number),
        "debt": member.debt.format(),
        "address": f"{member.house_address}{flat}".lstrip(", "),
        "company": company,
    }


def _message(
    request: NotifyRequest, channel: Channel, to: str, values: dict[str, str], now: dt.datetime
) -> tuple[OutboxMessage, Sample]:
    subject = request.template.render_subject(values)
    text = request.template.render_body(values)
    key = dedupe_key(request.campaign_key, channel, values["key"])
    if channel is Channel.EMAIL:
        message = queue_email(EmailMessage(to, subject, text + "\n"), now, dedupe_key=key)
    else:
        message = queue_sms(SmsMessage(to, text), now, dedupe_key=key)
    shown_subject = subject if channel is Channel.EMAIL else ""
    return message, Sample(channel, values["key"], to, shown_subject, text)


class _Run:
    """The counts and SMS schedule of one run."""

    def __init__(self, request: NotifyRequest, now: dt.datetime) -> None:
        self.request = request
        self.now = now
        self.counts = {channel: ChannelCounts() for channel in request.channels}
        self.sample: Sample | None = None
        self.sms_queued = 0
        self.sms_gap = dt.timedelta(minutes=1) / request.sms_per_minute

    def offer(self, uow: UnitOfWork, member: AudienceMember) -> None:
        values = _values(member, self.request.company_name) | {"key": member.account.key}
        for channel in self.request.channels:
            counts = self.counts[channel]
            to = address_for(member, channel)
            if to is Skip.OPTED_OUT:
                counts.opted_out += 1
                continue
            if isinstance(to, Skip):
                counts.no_contact += 1
                continue
            message, sample = _message(self.request, channel, to, values, self.now)
            if self.sample is None:
                self.sample = sample
            if self.request.dry_run:
                counts.queued += 1
                continue
            if channel is Channel.SMS:
                message.next_attempt_at = self.now + self.sms_gap * self.sms_queued
            if uow.outbox.add(message):
                counts.queued += 1
                self.sms_queued += channel is Channel.SMS
            else:
                counts.already_queued += 1


def send_service_messages(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    operator: Operator,
    request: NotifyRequest,
    progress: ProgressReporter,
) -> NotifyReport:
    """Queue (or, in a dry run, count) the messages of a mailing, page by page."""
    run = _Run(request, clock.now())
    after, selected = "", 0
    while True:
        with uow_factory(read_only=request.dry_run) as uow:
            page = uow.directory.audience(request.audience, after, request.page_size)
            for member in page.members:
                run.offer(uow, member)
            if not request.dry_run:
                uow.commit()
        selected += len(page.members)
        progress.advance(selected, None)
        if page.next_after is None:
            break
        after = page.next_after
    _audit(uow_factory, clock, operator, request, run, selected)
    return NotifyReport(selected, run.counts, run.sample, request.campaign_key, request.dry_run)


def _audit(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    operator: Operator,
    request: NotifyRequest,
    run: _Run,
    selected: int,
) -> None:
    """One record for the mailing: who, to whom, how many (a dry run shows personal data
    in its sample, so it is recorded as a view)."""
    details = {
        "action": "notify_dry_run" if request.dry_run else "notify",
        "campaign": request.campaign_key,
        "audience": request.audience.describe(),
        "selected": str(selected),
    }
    for channel, counts in run.counts.items():
        details[f"{channel.value}_queued"] = str(counts.queued)
        details[f"{channel.value}_skipped"] = str(counts.opted_out + counts.no_contact)
    kind = AuditKind.OPERATOR_VIEW if request.dry_run else AuditKind.OPERATOR_ACTION
    with uow_factory() as uow:
        operator_audit(uow, kind, clock.now(), operator, None, **details)
        uow.commit()
