"""The announcement repository: by id, the newest first, and those active for a house on a
day; the same behaviour over every adapter."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

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


def test_a_change_is_stored_over_the_revision_it_was_made_from_with_its_new_houses(
    uow_factory: PortalUnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        uow.announcements.add(an_announcement(house_codes=frozenset({"H1", "H2"})))
        uow.commit()
    corrected = an_announcement(
        kind=AnnouncementKind.EMERGENCY, title="Прорыв трубы", text="Воды нет.",
        ends_on=DAY + dt.timedelta(days=5), house_codes=frozenset({"H3"}), revision=2,
        updated_at=at(5).astimezone(MOSCOW), updated_by="petrov",
    )  # fmt: skip

    with uow_factory() as uow:
        assert uow.announcements.save(corrected, 1)
        uow.commit()

    with uow_factory() as uow:
        assert uow.announcements.get("a1") == corrected
        assert {i.id for i in uow.announcements.active_for_house("H3", DAY)} == {"a1"}
        assert uow.announcements.active_for_house("H1", DAY) == []


def test_a_change_over_a_stale_revision_stores_nothing(
    uow_factory: PortalUnitOfWorkFactory,
) -> None:
    original = an_announcement()
    with uow_factory() as uow:
        uow.announcements.add(original)
        uow.announcements.save(attrs.evolve(original, title="Первая правка", revision=2), 1)
        uow.commit()
    stale = attrs.evolve(original, title="Вторая правка", house_codes=frozenset(), revision=2)

    with uow_factory() as uow:
        assert not uow.announcements.save(stale, 1)
        assert not uow.announcements.save(attrs.evolve(stale, id="none"), 1)
        uow.commit()

    with uow_factory() as uow:
        stored = uow.announcements.get("a1")
        assert stored is not None
        assert (stored.title, stored.house_codes, stored.revision) == (
            "Первая правка",
            frozenset({"H1"}),
            2,
        )
        assert uow.announcements.get("none") is None


def test_a_withdrawn_announcement_is_kept_but_no_longer_active(
    uow_factory: PortalUnitOfWorkFactory,
) -> None:
    original = an_announcement(house_codes=frozenset())
    withdrawn = attrs.evolve(
        original, revision=2, withdrawn_at=at(7), withdrawn_by="petrov",
        withdraw_reason="Работы перенесли",
    )  # fmt: skip
    with uow_factory() as uow:
        uow.announcements.add(original)
        uow.announcements.add(an_announcement("kept", house_codes=frozenset()))
        assert uow.announcements.save(withdrawn, 1)
        uow.commit()

    with uow_factory() as uow:
        assert uow.announcements.get("a1") == withdrawn
        assert [i.id for i in uow.announcements.active_for_house("H1", DAY)] == ["kept"]
        assert {i.id for i in uow.announcements.recent(10)} == {"a1", "kept"}
