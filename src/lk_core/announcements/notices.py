"""The announcements a resident's main page shows (F31)."""

from __future__ import annotations

import datetime as dt

from lk_core.announcements.announcement import Announcement, shown_order
from lk_core.announcements.ports import AnnouncementsReadUnitOfWork
from lk_core.announcements.posting import company_today


def active_announcements(
    uow: AnnouncementsReadUnitOfWork, house_code: str, now: dt.datetime, time_zone: str
) -> tuple[Announcement, ...]:
    """Those for the house that apply today in the company's time zone, outages on top."""
    today = company_today(now, time_zone)
    return tuple(shown_order(uow.announcements.active_for_house(house_code, today)))
