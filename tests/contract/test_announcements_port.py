"""The announcement repository: by id, the newest first, and those active for a house on a
day; the same behaviour over every adapter."""

from __future__ import annotations

import datetime as dt
from typing import Any

from lk_adapters.portal_unit_of_work import PortalUnitOfWorkFactory
from lk_core.announcements.announcement import Announcement, AnnouncementKind

from .builders import MOSCOW, at

DAY = dt.date(2026, 12, 10)


def an_announcement(announcement_id: str = "a1", **changes: Any) -> Announcement:
    values: dict[str, Any] = {
        "kind": AnnouncementKind.NEWS,
        "title": "Собрание жильцов",
        "text": "В четверг в 19:00 во дворе.",
        "starts_on": DAY,
        "ends_on": DAY + dt.timedelta(days=2),
        "house_codes": frozenset({"H1"}),
        "author": "ivanova",
        "created_at": at(0),
    }
    return Announcement(announcement_id, **(values | changes))


def test_an_added_announcement_is_found_with_its_houses(
    uow_factory: PortalUnitOfWorkFactory,
) -> None:
    stored = an_announcement(
        kind=AnnouncementKind.PLANNED_OUTAGE,
        house_codes=frozenset({"H1", "H2"}),
        created_at=at(3).astimezone(MOSCOW),
    )
    everyone = an_announcement("a2", house_codes=frozenset())
    with uow_factory() as uow:
        uow.announcements.add(stored)
        uow.announcements.add(everyone)
        uow.commit()

    with uow_factory() as uow:
        assert uow.announcements.get("a1") == stored
        assert uow.announcements.get("a2") == everyone
        assert uow.announcements.get("a3") is None


def test_recent_announcements_come_newest_first(uow_factory: PortalUnitOfWorkFactory) -> None:
    with uow_factory() as uow:
        uow.announcements.add(an_announcement("a1", created_at=at(1)))
        uow.announcements.add(an_announcement("a2", created_at=at(3)))
        uow.announcements.add(an_announcement("a3", created_at=at(2)))
        uow.commit()

    with uow_factory() as uow:
        assert [item.id for item in uow.announcements.recent(2)] == ["a2", "a3"]


def test_a_house_sees_its_own_and_everyones_announcements_on_their_days_only(
    uow_factory: PortalUnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        uow.announcements.add(an_announcement("mine"))
        uow.announcements.add(an_announcement("both", house_codes=frozenset({"H1", "H2"})))
        uow.announcements.add(an_announcement("other", house_codes=frozenset({"H2"})))
        uow.announcements.add(an_announcement("all", house_codes=frozenset()))
        uow.announcements.add(an_announcement("past", ends_on=DAY - dt.timedelta(days=1),
                                              starts_on=DAY - dt.timedelta(days=3)))  # fmt: skip
        uow.announcements.add(an_announcement("later", starts_on=DAY + dt.timedelta(days=1)))
        uow.commit()

    with uow_factory() as uow:
        found = {item.id for item in uow.announcements.active_for_house("H1", DAY)}
        on_last_day = {
            item.id for item in uow.announcements.active_for_house("H1", DAY + dt.timedelta(2))
        }
        both = next(i for i in uow.announcements.active_for_house("H1", DAY) if i.id == "both")

    assert found == {"mine", "both", "all"}
    assert on_last_day == {"mine", "both", "all", "later"}
    assert both.house_codes == frozenset({"H1", "H2"})
