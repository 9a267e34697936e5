"""Announcements (F31): staff post news and outages to chosen houses or all; active ones
show on residents' main pages, outages on top, and go by SMS and e-mail to residents who
opted into informing, once each (ADR 0066). Use cases take an `AnnouncementsContext`.

Everything in `__all__` is public (see `docs/embedding.md` on versioning); other modules
and names are internal.
"""

from __future__ import annotations

from lk_core.announcements.announcement import (
    Announcement,
    AnnouncementKind,
    AnnouncementState,
    shown_order,
)
from lk_core.announcements.context import AnnouncementsContext
from lk_core.announcements.errors import (
    AnnouncementChanged,
    AnnouncementClosed,
    AnnouncementInvalid,
    NothingToSend,
)
from lk_core.announcements.message import message_subject, message_text
from lk_core.announcements.notices import active_announcements
from lk_core.announcements.ports import (
    AnnouncementRepository,
    AnnouncementsReadUnitOfWork,
    AnnouncementsUnitOfWork,
)
from lk_core.announcements.posting import (
    AnnouncementDraft,
    EditorData,
    Preview,
    company_today,
    editor_data,
    post_announcement,
    preview,
)
from lk_core.announcements.revising import (
    Edited,
    correction_preview,
    draft_of,
    edit_announcement,
    open_announcement,
    withdraw_announcement,
    withdrawal_preview,
)
from lk_core.announcements.sending import (
    SendReport,
    announcement_template,
    send_announcement,
    send_correction,
    send_withdrawal_notice,
)
from lk_core.announcements.sms_length import SmsLength, sms_length

__all__ = [
    "Announcement",
    "AnnouncementChanged",
    "AnnouncementClosed",
    "AnnouncementDraft",
    "AnnouncementInvalid",
    "AnnouncementKind",
    "AnnouncementRepository",
    "AnnouncementState",
    "AnnouncementsContext",
    "AnnouncementsReadUnitOfWork",
    "AnnouncementsUnitOfWork",
    "Edited",
    "EditorData",
    "NothingToSend",
    "Preview",
    "SendReport",
    "SmsLength",
    "active_announcements",
    "announcement_template",
    "company_today",
    "correction_preview",
    "draft_of",
    "edit_announcement",
    "editor_data",
    "message_subject",
    "message_text",
    "open_announcement",
    "post_announcement",
    "preview",
    "send_announcement",
    "send_correction",
    "send_withdrawal_notice",
    "shown_order",
    "sms_length",
    "withdraw_announcement",
    "withdrawal_preview",
]
