"""Sending an announcement by SMS and e-mail to residents who opted into informing (F31),
through the service-message path (F26): each account gets it once per channel, however
often it is sent (dedupe keys name the announcement). A correction (once per revision)
and a withdrawal notice are sent the same way, only when staff ask (ADR 0071)."""

from __future__ import annotations

import attrs

from lk_core.announcements.announcement import Announcement
from lk_core.announcements.context import AnnouncementsContext
from lk_core.announcements.errors import AnnouncementClosed, NothingToSend
from lk_core.announcements.message import (
    correction_subject,
    correction_text,
    message_subject,
    message_text,
    withdrawal_subject,
    withdrawal_text,
)
from lk_core.kernel.errors import NotFound
from lk_core.kernel.runtime import ProgressReporter, no_progress
from lk_core.operator.audiences import Channel
from lk_core.operator.directory import Audience
from lk_core.operator.operators import Operator
from lk_core.operator.service_messages import NotifyRequest, send_service_messages
from lk_core.operator.templates import MessageTemplate
from lk_core.staff.members import StaffMember


def _literal(text: str) -> str:
    """Text a template prints as it is: braces doubled."""
    return text.replace("{", "{{").replace("}", "}}")


def _template(subject: str, text: str) -> MessageTemplate:
    return MessageTemplate.parse(f"Тема: {_literal(subject)}\n{_literal(text)}")


def announcement_template(announcement: Announcement) -> MessageTemplate:
    a = announcement
    return _template(
        message_subject(a.kind, a.title),
        message_text(a.kind, a.title, a.text, a.starts_on, a.ends_on),
    )


def correction_template(announcement: Announcement) -> MessageTemplate:
    a = announcement
    return _template(
        correction_subject(a.kind, a.title),
        correction_text(a.kind, a.title, a.text, a.starts_on, a.ends_on),
    )


def withdrawal_template(announcement: Announcement) -> MessageTemplate:
    a = announcement
    return _template(
        withdrawal_subject(a.kind, a.title),
        withdrawal_text(a.kind, a.title, a.starts_on, a.ends_on, a.withdraw_reason or ""),
    )


@attrs.define
class SendReport:
    """How many messages were queued now, queued before, and who was skipped."""

    selected: int = 0
    queued: int = 0
    already_queued: int = 0
    skipped: int = 0


def _stored(ctx: AnnouncementsContext, announcement_id: str) -> Announcement:
    with ctx.uow_factory(read_only=True) as uow:
        announcement = uow.announcements.get(announcement_id)
    if announcement is None:
        raise NotFound("announcement", announcement_id)
    return announcement


def send_announcement(
    ctx: AnnouncementsContext,
    sender: StaffMember,
    announcement_id: str,
    progress: ProgressReporter | None = None,
) -> SendReport:
    """Queue the announcement for its houses' residents who opted in, by SMS and e-mail
    (its text as it stands now; a withdrawn one is not sent)."""
    announcement = _stored(ctx, announcement_id)
    if announcement.is_withdrawn:
        raise AnnouncementClosed(withdrawn=True)
    return _send(ctx, sender, announcement, announcement_template(announcement),
                 f"announcement-{announcement.id}", progress)  # fmt: skip


def send_correction(
    ctx: AnnouncementsContext,
    sender: StaffMember,
    announcement_id: str,
    progress: ProgressReporter | None = None,
) -> SendReport:
    """Queue «Исправление. …» with the announcement's text now, once per account for each
    revision: sending the same correction again messages nobody twice."""
    announcement = _stored(ctx, announcement_id)
    if announcement.is_withdrawn:
        raise AnnouncementClosed(withdrawn=True)
    if announcement.revision == 1:
        raise NothingToSend("Объявление не исправляли — рассылать нечего")
    return _send(ctx, sender, announcement, correction_template(announcement),
                 f"announcement-{announcement.id}-r{announcement.revision}", progress)  # fmt: skip


def send_withdrawal_notice(
    ctx: AnnouncementsContext,
    sender: StaffMember,
    announcement_id: str,
    progress: ProgressReporter | None = None,
) -> SendReport:
    """Queue «Отменено: …» with the reason, for a withdrawn outage, once per account."""
    announcement = _stored(ctx, announcement_id)
    if not announcement.is_withdrawn or not announcement.kind.is_outage:
        raise NothingToSend("Об отмене сообщают только о снятом отключении или аварии")
    return _send(ctx, sender, announcement, withdrawal_template(announcement),
                 f"announcement-{announcement.id}-withdrawn", progress)  # fmt: skip


def _send(
    ctx: AnnouncementsContext,
    sender: StaffMember,
    announcement: Announcement,
    template: MessageTemplate,
    campaign: str,
    progress: ProgressReporter | None,
) -> SendReport:
    audiences = (
        [Audience()]
        if announcement.for_all_houses
        else [Audience(house_code=code) for code in sorted(announcement.house_codes)]
    )
    report = SendReport()
    for audience in audiences:
        request = NotifyRequest(
            audience=audience,
            channels=(Channel.SMS, Channel.EMAIL),
            template=template,
            company_name=ctx.company_name,
            campaign=campaign,
            sms_per_minute=ctx.sms_per_minute,
        )
        done = send_service_messages(
            ctx.uow_factory, ctx.clock, Operator(sender.login, kind="staff"), request,
            progress or no_progress(),
        )  # fmt: skip
        report.selected += done.selected
        for counts in done.counts.values():
            report.queued += counts.queued
            report.already_queued += counts.already_queued
            report.skipped += counts.opted_out + counts.no_contact
    return report
