"""The announcements editor (F31): write, preview the SMS (its text, length and segments;
live with a script, on «Предпросмотр» without one), post to chosen houses or all, send by
SMS and e-mail to residents who opted in."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import Controller, get, post
from litestar.concurrency import sync_to_thread
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from lk_core.announcements.errors import AnnouncementInvalid
from lk_core.announcements.posting import (
    AnnouncementDraft,
    EditorData,
    editor_data,
    post_announcement,
    preview,
)
from lk_core.announcements.sending import send_announcement
from lk_core.staff.sign_in import OnDuty
from lk_web.client import AnyRequest
from lk_web.dependencies import Portal
from lk_web.office.edge import Office, OfficeServices, Staff, nav
from lk_web.pages import page, see_other

EDITOR = "/office/announcements"


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
        **context,
        **nav(staff, EDITOR),
    )


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
    return draft, {"action": str(form.get("action", "")), "send": str(form.get("send", ""))}


class AnnouncementsController(Controller):
    path = EDITOR

    @get("/")
    async def editor(
        self,
        office: Office,
        staff: Staff,
        posted: FromQuery[str] = "",
        queued: FromQuery[str] = "",
        again: FromQuery[str] = "",
        skipped: FromQuery[str] = "",
    ) -> Template:
        """The editor and the recent announcements."""
        data = await sync_to_thread(editor_data, office.announcements)
        draft = AnnouncementDraft(starts_on=data.today.isoformat(), ends_on=data.today.isoformat())
        report = {"queued": queued, "again": again, "skipped": skipped} if queued else None
        return _editor(office, staff, data, draft, posted=posted, report=report)

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
            query |= {
                "queued": str(report.queued),
                "again": str(report.already_queued),
                "skipped": str(report.skipped),
            }
        return see_other(f"{EDITOR}?{urlencode(query)}")

    @post("/{announcement_id:str}/send")
    async def send(self, office: Office, staff: Staff, announcement_id: FromPath[str]) -> Redirect:
        """Send an announcement by SMS and e-mail; sending again messages nobody twice."""
        report = await sync_to_thread(
            send_announcement, office.announcements, staff.member, announcement_id
        )
        query = {
            "posted": announcement_id,
            "queued": str(report.queued),
            "again": str(report.already_queued),
            "skipped": str(report.skipped),
        }
        return see_other(f"{EDITOR}?{urlencode(query)}")
