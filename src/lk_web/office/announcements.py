"""The announcements editor (F31): write, preview the SMS (its text, length and segments;
live with a script, on «Предпросмотр» without one), post to chosen houses or all, send by
SMS and e-mail to residents who opted in. The announcements are listed by state (active,
planned, ended, withdrawn); an active or planned one is corrected in the same editor or
withdrawn with a reason (ADR 0071): a correction, or a notice that an outage is off, goes
out only when staff ask."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from litestar import Controller, get, post
from litestar.concurrency import sync_to_thread
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from lk_core.announcements.announcement import Announcement
from lk_core.announcements.errors import (
    AnnouncementChanged,
    AnnouncementClosed,
    AnnouncementInvalid,
)
from lk_core.announcements.posting import (
    AnnouncementDraft,
    EditorData,
    editor_data,
    post_announcement,
    preview,
)
from lk_core.announcements.revising import (
    correction_preview,
    draft_of,
    edit_announcement,
    open_announcement,
    withdraw_announcement,
    withdrawal_preview,
)
from lk_core.announcements.sending import (
    SendReport,
    send_announcement,
    send_correction,
    send_withdrawal_notice,
)
from lk_core.kernel.errors import DomainError, NotFound
from lk_core.staff.sign_in import OnDuty
from lk_web.client import AnyRequest
from lk_web.dependencies import Portal
from lk_web.office.edge import Office, OfficeServices, Staff, nav
from lk_web.pages import page, see_other

EDITOR = "/office/announcements"
ID_LENGTH = 16
NOTICES = {
    "saved": "Изменения сохранены. Жителям ничего не отправлено.",
    "unchanged": "Изменений нет — ничего не сохранено.",
    "corrected": "Исправление поставлено в очередь рассылки.",
}


def _checked_id(text: str) -> str:
    """An id in an address; anything else is an announcement that does not exist."""
    if len(text) != ID_LENGTH or not all(c in "0123456789abcdef" for c in text):
        raise NotFound("announcement", text)
    return text


def _local_time(office: OfficeServices) -> Callable[[dt.datetime], str]:
    zone = ZoneInfo(office.announcements.time_zone)
    return lambda moment: moment.astimezone(zone).strftime("%d.%m.%Y %H:%M")


def _report(report: SendReport) -> dict[str, str]:
    return {
        "queued": str(report.queued),
        "again": str(report.already_queued),
        "skipped": str(report.skipped),
    }


def _editor(
    office: OfficeServices,
    staff: OnDuty,
    data: EditorData,
    draft: AnnouncementDraft,
    *,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
    **context: Any,
) -> Template:
    return page(
        "office/announcements.html.j2",
        status_code=status_code,
        data=data,
        draft=draft,
        shown=preview(draft, data.today),
        errors=errors or {},
        form_action=EDITOR,
        editing=None,
        local_time=_local_time(office),
        **context,
        **nav(staff, EDITOR),
    )


def _announcement_page(
    office: OfficeServices,
    staff: OnDuty,
    announcement: Announcement,
    draft: AnnouncementDraft | None = None,
    *,
    revision: int | None = None,
    errors: dict[str, str] | None = None,
    reason: str = "",
    status_code: int = 200,
    **context: Any,
) -> Template:
    """One announcement: its record, and while it may change, the editor (with the typed
    form after a refusal) and the withdrawal form."""
    data = editor_data(office.announcements)
    draft = draft or draft_of(announcement)
    return page(
        "office/announcement.html.j2",
        status_code=status_code,
        item=announcement,
        state=announcement.state_on(data.today),
        data=data,
        draft=draft,
        revision=announcement.revision if revision is None else revision,
        shown=preview(draft, data.today),
        correction=correction_preview(announcement),
        withdrawal=withdrawal_preview(announcement, reason or "Причина"),
        reason=reason,
        errors=errors or {},
        form_action=f"{EDITOR}/{announcement.id}",
        editing=announcement,
        local_time=_local_time(office),
        **context,
        **nav(staff, EDITOR),
    )


def _revision(text: str) -> int:
    """The revision the form was opened at; one that cannot be read is stale."""
    try:
        return int(text)
    except ValueError:
        return 0


async def _draft(request: AnyRequest) -> tuple[AnnouncementDraft, dict[str, str]]:
    form = await request.form()
    draft = AnnouncementDraft(
        kind=str(form.get("kind", "")),
        title=str(form.get("title", "")),
        text=str(form.get("text", "")),
        starts_on=str(form.get("starts_on", "")),
        ends_on=str(form.get("ends_on", "")),
        house_codes=tuple(str(code) for code in form.getall("houses", [])),
        all_houses=form.get("all_houses") == "yes",
    )
    choice = {
        name: str(form.get(name, "")) for name in ("action", "send", "revision", "reason", "notify")
    }
    return draft, choice


class AnnouncementsController(Controller):
    path = EDITOR

    @get("/")
    async def editor(
        self,
        office: Office,
        staff: Staff,
        posted: FromQuery[str] = "",
        withdrawn: FromQuery[str] = "",
        queued: FromQuery[str] = "",
        again: FromQuery[str] = "",
        skipped: FromQuery[str] = "",
    ) -> Template:
        """The editor and the recent announcements by state."""
        data = await sync_to_thread(editor_data, office.announcements)
        draft = AnnouncementDraft(starts_on=data.today.isoformat(), ends_on=data.today.isoformat())
        report = {"queued": queued, "again": again, "skipped": skipped} if queued else None
        return _editor(office, staff, data, draft, posted=posted, withdrawn=withdrawn,
                       report=report)  # fmt: skip

    @post("/")
    async def submit(
        self, request: AnyRequest, portal: Portal, office: Office, staff: Staff
    ) -> Template | Redirect:
        """«Предпросмотр» shows the message as it would go out; «Опубликовать» posts it
        (and, if asked, sends it at once)."""
        draft, choice = await _draft(request)
        data = await sync_to_thread(editor_data, office.announcements)
        if choice["action"] != "post":
            return _editor(office, staff, data, draft)
        try:
            announcement = await sync_to_thread(
                post_announcement, office.announcements, staff.member, draft,
                ip=portal.client.ip(request),
            )  # fmt: skip
        except AnnouncementInvalid as error:
            return _editor(office, staff, data, draft, status_code=400,
                           errors=error.problems | {"": error.message_ru})  # fmt: skip
        query = {"posted": announcement.id}
        if choice["send"] == "yes":
            report = await sync_to_thread(
                send_announcement, office.announcements, staff.member, announcement.id
            )
            query |= _report(report)
        return see_other(f"{EDITOR}?{urlencode(query)}")

    @get("/{announcement_id:str}")
    async def show(
        self,
        office: Office,
        staff: Staff,
        announcement_id: FromPath[str],
        done: FromQuery[str] = "",
        message_changed: FromQuery[str] = "",
        queued: FromQuery[str] = "",
        again: FromQuery[str] = "",
        skipped: FromQuery[str] = "",
    ) -> Template:
        """An announcement: the editor and the withdrawal form while it may change."""
        announcement_id = _checked_id(announcement_id)
        found = await sync_to_thread(open_announcement, office.announcements, announcement_id)
        report = {"queued": queued, "again": again, "skipped": skipped} if queued else None
        return _announcement_page(office, staff, found, notice=NOTICES.get(done, ""),
                                  offer_correction=message_changed == "yes",
                                  report=report)  # fmt: skip

    @post("/{announcement_id:str}")
    async def edit(
        self,
        request: AnyRequest,
        portal: Portal,
        office: Office,
        staff: Staff,
        announcement_id: FromPath[str],
    ) -> Template | Redirect:
        """«Предпросмотр» shows the corrected message; «Сохранить изменения» stores it over
        the revision the editor was opened at, sending nothing."""
        announcement_id = _checked_id(announcement_id)
        draft, choice = await _draft(request)
        current = await sync_to_thread(open_announcement, office.announcements, announcement_id)
        revision = _revision(choice["revision"])
        if choice["action"] != "save":
            return _announcement_page(office, staff, current, draft, revision=revision)
        try:
            edited = await sync_to_thread(
                edit_announcement, office.announcements, staff.member, announcement_id,
                revision, draft, ip=portal.client.ip(request),
            )  # fmt: skip
        except AnnouncementInvalid as error:
            return _announcement_page(office, staff, current, draft, revision=revision,
                                      errors=error.problems | {"": error.message_ru},
                                      status_code=400)  # fmt: skip
        except (AnnouncementChanged, AnnouncementClosed) as error:
            return _announcement_page(office, staff, current, draft, revision=revision,
                                      errors={"": error.message_ru}, stale=True,
                                      status_code=409)  # fmt: skip
        query = {"done": "saved" if edited.changed else "unchanged"}
        if edited.message_changed:
            query["message_changed"] = "yes"
        return see_other(f"{EDITOR}/{announcement_id}?{urlencode(query)}")

    @post("/{announcement_id:str}/withdraw")
    async def withdraw(
        self,
        request: AnyRequest,
        portal: Portal,
        office: Office,
        staff: Staff,
        announcement_id: FromPath[str],
    ) -> Template | Redirect:
        """Take the announcement off residents' main pages, with a reason; for an outage,
        tell its residents it is off if asked."""
        announcement_id = _checked_id(announcement_id)
        _, choice = await _draft(request)
        current = await sync_to_thread(open_announcement, office.announcements, announcement_id)
        revision = _revision(choice["revision"])
        try:
            await sync_to_thread(
                withdraw_announcement, office.announcements, staff.member, announcement_id,
                revision, choice["reason"], ip=portal.client.ip(request),
            )  # fmt: skip
        except AnnouncementInvalid as error:
            return _announcement_page(office, staff, current, errors=error.problems,
                                      reason=choice["reason"], notify=choice["notify"],
                                      status_code=400)  # fmt: skip
        except (AnnouncementChanged, AnnouncementClosed) as error:
            return _announcement_page(office, staff, current, errors={"reason": error.message_ru},
                                      reason=choice["reason"], notify=choice["notify"],
                                      status_code=409)  # fmt: skip
        query = {"withdrawn": announcement_id}
        if choice["notify"] == "yes" and current.kind.is_outage:
            report = await sync_to_thread(
                send_withdrawal_notice, office.announcements, staff.member, announcement_id
            )
            query |= _report(report)
        return see_other(f"{EDITOR}?{urlencode(query)}")

    @post("/{announcement_id:str}/correction")
    async def correction(
        self, office: Office, staff: Staff, announcement_id: FromPath[str]
    ) -> Template | Redirect:
        """Send «Исправление. …» to the residents who opted in; once per revision each."""
        announcement_id = _checked_id(announcement_id)
        try:
            report = await sync_to_thread(
                send_correction, office.announcements, staff.member, announcement_id
            )
        except DomainError as error:
            current = await sync_to_thread(open_announcement, office.announcements, announcement_id)
            return _announcement_page(office, staff, current, status_code=409,
                                      errors={"correction": error.message_ru})  # fmt: skip
        query = {"done": "corrected"} | _report(report)
        return see_other(f"{EDITOR}/{announcement_id}?{urlencode(query)}")

    @post("/{announcement_id:str}/send")
    async def send(
        self, office: Office, staff: Staff, announcement_id: FromPath[str]
    ) -> Template | Redirect:
        """Send an announcement by SMS and e-mail; sending again messages nobody twice (a
        withdrawn one is not sent)."""
        try:
            report = await sync_to_thread(
                send_announcement, office.announcements, staff.member, announcement_id
            )
        except AnnouncementClosed as error:
            current = await sync_to_thread(open_announcement, office.announcements, announcement_id)
            return _announcement_page(office, staff, current, status_code=409,
                                      errors={"": error.message_ru})  # fmt: skip
        query = {"posted": announcement_id} | _report(report)
        return see_other(f"{EDITOR}?{urlencode(query)}")
