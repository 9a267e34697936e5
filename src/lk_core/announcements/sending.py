"""Sending an announcement by SMS and e-mail to residents who opted into informing (F31),
through the service-message path (F26): each account gets it once per channel, however
often it is sent (dedupe keys name the announcement)."""

from __future__ import annotations

import attrs

from lk_core.announcements.announcement import Announcement
from lk_core.announcements.context import AnnouncementsContext
from lk_core.announcements.message import message_subject, message_text
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


def announcement_template(announcement: Announcement) -> MessageTemplate:
    subject = message_subject(announcement.kind, announcement.title)
    text = message_text(
        announcement.kind,
        announcement.title,
        announcement.text,
        announcement.starts_on,
        announcement.ends_on,
    )
    return MessageTemplate.parse(f"Тема: {_literal(subject)}\n{_literal(text)}")


@attrs.define
class SendReport:
    """How many messages were queued now, queued before, and who was skipped."""

    selected: int = 0
    queued: int = 0
    already_queued: int = 0
    skipped: int = 0


def send_announcement(
    ctx: AnnouncementsContext,
    sender: StaffMember,
    announcement_id: str,
    progress: ProgressReporter | None = None,
) -> SendReport:
    """Queue the announcement for its houses' residents who opted in, by SMS and e-mail."""
    with ctx.uow_factory(read_only=True) as uow:
        announcement = uow.announcements.get(announcement_id)
    if announcement is None:
        raise NotFound("announcement", announcement_id)
    audiences = (
        [Audience()]
        if announcement.for_all_houses
        else [Audience(house_code=code) for code in sorted(announcement.house_codes)]
    )
    template = announcement_template(announcement)
    report = SendReport()
    for audience in audiences:
        request = NotifyRequest(
            audience=audience,
            channels=(Channel.SMS, Channel.EMAIL),
            template=template,
            company_name=ctx.company_name,
            campaign=f"announcement-{announcement.id}",
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
