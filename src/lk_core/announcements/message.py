"""The words an announcement is sent in, by SMS and e-mail alike (the editor previews them)."""

from __future__ import annotations

import datetime as dt

from lk_core.announcements.announcement import AnnouncementKind


def short_dates(starts_on: dt.date, ends_on: dt.date) -> str:
    """«10.12» or «10.12–12.12»: an SMS is paid by the character."""
    first = starts_on.strftime("%d.%m")
    return first if ends_on == starts_on else f"{first}–{ends_on.strftime('%d.%m')}"


def message_subject(kind: AnnouncementKind, title: str) -> str:
    """The e-mail's subject: the title, after the kind for an outage."""
    title = " ".join(title.split())
    return f"{kind.label_ru.capitalize()}: {title}" if kind.is_outage else title


def _head(kind: AnnouncementKind, title: str, starts_on: dt.date, ends_on: dt.date) -> str:
    head = " ".join(title.split()).rstrip(".")
    if kind.is_outage:
        head = f"{kind.label_ru.capitalize()} {short_dates(starts_on, ends_on)}: {head}"
    return head


def message_text(
    kind: AnnouncementKind, title: str, text: str, starts_on: dt.date, ends_on: dt.date
) -> str:
    """«Плановое отключение 10.12–12.12: Горячая вода. Текст…»; news: «Заголовок. Текст…»."""
    head = _head(kind, title, starts_on, ends_on)
    body = text.strip()
    return f"{head}. {body}" if body else f"{head}."


CORRECTION = "Исправление"
WITHDRAWAL = "Отменено"


def correction_subject(kind: AnnouncementKind, title: str) -> str:
    return f"{CORRECTION}: {message_subject(kind, title)}"


def correction_text(
    kind: AnnouncementKind, title: str, text: str, starts_on: dt.date, ends_on: dt.date
) -> str:
    """The corrected message, said to be one: «Исправление. Плановое отключение …»."""
    return f"{CORRECTION}. {message_text(kind, title, text, starts_on, ends_on)}"


def withdrawal_subject(kind: AnnouncementKind, title: str) -> str:
    return f"{WITHDRAWAL}: {message_subject(kind, title)}"


def withdrawal_text(
    kind: AnnouncementKind, title: str, starts_on: dt.date, ends_on: dt.date, reason: str
) -> str:
    """«Отменено: Плановое отключение 10.12–12.12: Горячая вода. Причина»."""
    head = f"{WITHDRAWAL}: {_head(kind, title, starts_on, ends_on)}"
    reason = " ".join(reason.split())
    return f"{head}. {reason}" if reason else f"{head}."
