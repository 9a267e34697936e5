"""Correcting and withdrawing an announcement from the desk (F31, ADR 0071): only one that
residents see or will see; each change is stored over the revision the editor was opened
at, so of two staff editing at once the later is refused, not silently lost. Nothing is
re-sent on its own: a correction or a withdrawal notice goes only when staff ask."""

from __future__ import annotations

import attrs

from lk_core.access.audit import AuditKind
from lk_core.announcements.announcement import Announcement
from lk_core.announcements.context import AnnouncementsContext
from lk_core.announcements.errors import (
    AnnouncementChanged,
    AnnouncementClosed,
    AnnouncementInvalid,
)
from lk_core.announcements.message import (
    correction_subject,
    correction_text,
    message_subject,
    message_text,
    withdrawal_subject,
    withdrawal_text,
)
from lk_core.announcements.ports import AnnouncementsUnitOfWork
from lk_core.announcements.posting import (
    AnnouncementDraft,
    Preview,
    checked_draft,
    company_today,
)
from lk_core.announcements.sms_length import sms_length
from lk_core.kernel.errors import NotFound
from lk_core.staff.members import StaffMember
from lk_core.staff.trail import staff_audit

REASON_MAX = 500
EDITABLE = ("kind", "title", "text", "starts_on", "ends_on", "house_codes")


def draft_of(announcement: Announcement) -> AnnouncementDraft:
    """The editor's form filled in with the announcement as it stands."""
    return AnnouncementDraft(
        kind=announcement.kind.value,
        title=announcement.title,
        text=announcement.text,
        starts_on=announcement.starts_on.isoformat(),
        ends_on=announcement.ends_on.isoformat(),
        house_codes=tuple(sorted(announcement.house_codes)),
        all_houses=announcement.for_all_houses,
    )


def correction_preview(announcement: Announcement) -> Preview:
    """The correction as it would go out now, and its length as an SMS."""
    a = announcement
    text = correction_text(a.kind, a.title, a.text, a.starts_on, a.ends_on)
    return Preview(correction_subject(a.kind, a.title), text, sms_length(text))


def withdrawal_preview(announcement: Announcement, reason: str) -> Preview:
    """The notice of withdrawal with this reason, and its length as an SMS."""
    a = announcement
    text = withdrawal_text(a.kind, a.title, a.starts_on, a.ends_on, reason)
    return Preview(withdrawal_subject(a.kind, a.title), text, sms_length(text))


def open_announcement(ctx: AnnouncementsContext, announcement_id: str) -> Announcement:
    """An announcement by id (`NotFound` if there is none)."""
    with ctx.uow_factory(read_only=True) as uow:
        found = uow.announcements.get(announcement_id)
    if found is None:
        raise NotFound("announcement", announcement_id)
    return found


def _changeable(
    ctx: AnnouncementsContext, uow: AnnouncementsUnitOfWork, announcement_id: str, revision: int
) -> Announcement:
    """The stored announcement, if it is still at `revision` and may still change."""
    current = uow.announcements.get(announcement_id)
    if current is None:
        raise NotFound("announcement", announcement_id)
    if current.revision != revision:
        raise AnnouncementChanged(current.withdrawn_by or current.updated_by)
    if not current.state_on(company_today(ctx.clock.now(), ctx.time_zone)).can_change:
        raise AnnouncementClosed(current.is_withdrawn)
    return current


@attrs.frozen
class Edited:
    """The announcement after an edit, which of its fields changed, and whether the
    message it is sent in changed (then a correction may be sent)."""

    announcement: Announcement
    changed: tuple[str, ...]
    message_changed: bool


def _message(a: Announcement) -> tuple[str, str]:
    return (
        message_subject(a.kind, a.title),
        message_text(a.kind, a.title, a.text, a.starts_on, a.ends_on),
    )


def edit_announcement(
    ctx: AnnouncementsContext,
    editor: StaffMember,
    announcement_id: str,
    revision: int,
    draft: AnnouncementDraft,
    *,
    ip: str,
) -> Edited:
    """Store the corrected announcement as its next revision, audited; `AnnouncementInvalid`
    with every mistake, `AnnouncementChanged` if the form's revision is stale,
    `AnnouncementClosed` once it has ended or been withdrawn: nothing is stored then. An
    unchanged form stores nothing."""
    now = ctx.clock.now()
    with ctx.uow_factory() as uow:
        current = _changeable(ctx, uow, announcement_id, revision)
        kind, title, text, starts, ends, houses = checked_draft(
            draft, uow.houses.codes(), company_today(now, ctx.time_zone)
        )
        edited = attrs.evolve(
            current, kind=kind, title=title, text=text, starts_on=starts, ends_on=ends,
            house_codes=houses, revision=revision + 1, updated_at=now, updated_by=editor.login,
        )  # fmt: skip
        changed = tuple(
            name for name in EDITABLE if getattr(current, name) != getattr(edited, name)
        )
        if not changed:
            return Edited(current, (), message_changed=False)
        if not uow.announcements.save(edited, revision):
            raise AnnouncementChanged(None)
        staff_audit(
            uow.audit, AuditKind.STAFF_ACTION, now, editor.actor, ip=ip,
            action="announcement_edited", announcement=edited.id,
            revision=str(edited.revision), changed=",".join(changed),
        )  # fmt: skip
        uow.commit()
    return Edited(edited, changed, _message(edited) != _message(current))


def withdraw_announcement(
    ctx: AnnouncementsContext,
    member: StaffMember,
    announcement_id: str,
    revision: int,
    reason: str,
    *,
    ip: str,
) -> Announcement:
    """Take the announcement off residents' main pages, with the reason, audited; refused
    as `edit_announcement` is."""
    now = ctx.clock.now()
    reason = " ".join(reason.split())
    with ctx.uow_factory() as uow:
        current = _changeable(ctx, uow, announcement_id, revision)
        if not reason:
            raise AnnouncementInvalid({"reason": "Укажите причину снятия"})
        if len(reason) > REASON_MAX:
            raise AnnouncementInvalid({"reason": f"Причина — не длиннее {REASON_MAX} знаков"})
        withdrawn = attrs.evolve(
            current, revision=revision + 1, withdrawn_at=now, withdrawn_by=member.login,
            withdraw_reason=reason,
        )  # fmt: skip
        if not uow.announcements.save(withdrawn, revision):
            raise AnnouncementChanged(None)
        staff_audit(
            uow.audit, AuditKind.STAFF_ACTION, now, member.actor, ip=ip,
            action="announcement_withdrawn", announcement=withdrawn.id,
            revision=str(withdrawn.revision), reason=reason,
        )  # fmt: skip
        uow.commit()
    return withdrawn
