"""Posting an announcement from the desk's editor (F31), and what the editor shows."""

from __future__ import annotations

import datetime as dt
import secrets
from zoneinfo import ZoneInfo

import attrs

from lk_core.access.audit import AuditKind
from lk_core.accounts.account import House
from lk_core.announcements.announcement import (
    Announcement,
    AnnouncementKind,
    AnnouncementState,
)
from lk_core.announcements.context import AnnouncementsContext
from lk_core.announcements.errors import AnnouncementInvalid
from lk_core.announcements.message import message_subject, message_text
from lk_core.announcements.sms_length import SmsLength, sms_length
from lk_core.staff.members import StaffMember
from lk_core.staff.trail import staff_audit

TITLE_MAX = 120
TEXT_MAX = 2000
LONGEST = dt.timedelta(days=366)
RECENT = 50


def company_today(clock_now: dt.datetime, time_zone: str) -> dt.date:
    return clock_now.astimezone(ZoneInfo(time_zone)).date()


def _date(text: str) -> dt.date | None:
    text = text.strip()
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()  # noqa: DTZ007 (a calendar date)
        except ValueError:
            continue
    return None


@attrs.frozen
class AnnouncementDraft:
    """The editor's form as typed."""

    kind: str = AnnouncementKind.NEWS.value
    title: str = ""
    text: str = ""
    starts_on: str = ""
    ends_on: str = ""
    house_codes: tuple[str, ...] = ()
    all_houses: bool = False


@attrs.frozen
class Preview:
    """The message as it would go out, and its length as an SMS."""

    subject: str
    text: str
    length: SmsLength


def preview(draft: AnnouncementDraft, today: dt.date) -> Preview:
    """The message of a draft, even an unfinished one (missing dates read as today)."""
    try:
        kind = AnnouncementKind(draft.kind)
    except ValueError:
        kind = AnnouncementKind.NEWS
    starts = _date(draft.starts_on) or today
    ends = _date(draft.ends_on) or starts
    text = message_text(kind, draft.title, draft.text, starts, ends)
    return Preview(message_subject(kind, draft.title), text, sms_length(text))


def checked_draft(
    draft: AnnouncementDraft, known_houses: set[str], today: dt.date
) -> tuple[AnnouncementKind, str, str, dt.date, dt.date, frozenset[str]]:
    problems: dict[str, str] = {}
    try:
        kind = AnnouncementKind(draft.kind)
    except ValueError:
        kind = AnnouncementKind.NEWS
        problems["kind"] = "Выберите вид объявления"
    title = " ".join(draft.title.split())
    if not title:
        problems["title"] = "Введите заголовок"
    elif len(title) > TITLE_MAX:
        problems["title"] = f"Заголовок — не длиннее {TITLE_MAX} знаков"
    text = draft.text.replace("\r\n", "\n").strip()
    if not text:
        problems["text"] = "Введите текст объявления"
    elif len(text) > TEXT_MAX:
        problems["text"] = f"Текст — не длиннее {TEXT_MAX} знаков"
    starts, ends = _date(draft.starts_on), _date(draft.ends_on)
    if starts is None:
        problems["starts_on"] = "Укажите дату начала (ДД.ММ.ГГГГ)"
    if ends is None:
        problems["ends_on"] = "Укажите дату окончания (ДД.ММ.ГГГГ)"
    if starts is not None and ends is not None:
        if ends < starts:
            problems["ends_on"] = "Дата окончания раньше даты начала"
        elif ends < today:
            problems["ends_on"] = "Объявление уже закончилось: проверьте даты"
        elif ends - starts > LONGEST:
            problems["ends_on"] = "Объявление действует не дольше года"
    houses = frozenset(code.strip() for code in draft.house_codes if code.strip())
    if draft.all_houses:
        houses = frozenset()
    elif not houses:
        problems["houses"] = "Выберите дома или «Все дома»"
    elif not houses <= known_houses:
        problems["houses"] = "Выбран неизвестный дом"
    if problems or starts is None or ends is None:
        raise AnnouncementInvalid(problems)
    return kind, title, text, starts, ends, houses


def post_announcement(
    ctx: AnnouncementsContext, author: StaffMember, draft: AnnouncementDraft, *, ip: str
) -> Announcement:
    """Store an announcement (`AnnouncementInvalid` with every mistake, nothing stored)."""
    now = ctx.clock.now()
    with ctx.uow_factory() as uow:
        kind, title, text, starts, ends, houses = checked_draft(
            draft, uow.houses.codes(), company_today(now, ctx.time_zone)
        )
        announcement = Announcement(
            secrets.token_hex(8), kind, title, text, starts, ends, houses, author.login, now
        )
        uow.announcements.add(announcement)
        staff_audit(
            uow.audit, AuditKind.STAFF_ACTION, now, author.actor, ip=ip,
            action="announcement_posted", announcement=announcement.id,
            announcement_kind=kind.value, houses=",".join(sorted(houses)) or "все",
        )  # fmt: skip
        uow.commit()
    return announcement


@attrs.frozen
class EditorData:
    """What the editor lists: the houses to choose from and the recent announcements."""

    houses: tuple[House, ...]
    recent: tuple[Announcement, ...]
    today: dt.date

    def listed(self) -> list[tuple[AnnouncementState, list[Announcement]]]:
        """The recent announcements by state, active first, each state newest first."""
        states: dict[AnnouncementState, list[Announcement]] = {s: [] for s in AnnouncementState}
        for item in self.recent:
            states[item.state_on(self.today)].append(item)
        return [(state, items) for state, items in states.items() if items]


def editor_data(ctx: AnnouncementsContext) -> EditorData:
    with ctx.uow_factory(read_only=True) as uow:
        houses = uow.houses.all()
        recent = uow.announcements.recent(RECENT)
    today = company_today(ctx.clock.now(), ctx.time_zone)
    return EditorData(tuple(houses), tuple(recent), today)
