"""Announcements in the `announcements` and `announcement_houses` tables."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Row, insert, or_, select

from lk_adapters.sqlalchemy.tables import announcement_houses as houses
from lk_adapters.sqlalchemy.tables import announcements as table
from lk_core.announcements.announcement import Announcement, AnnouncementKind


class SqlAlchemyAnnouncements:
    """Announcements by id, with the houses they are for."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add(self, announcement: Announcement) -> None:
        self._connection.execute(
            insert(table).values(
                id=announcement.id,
                kind=announcement.kind.value,
                title=announcement.title,
                text=announcement.text,
                starts_on=announcement.starts_on,
                ends_on=announcement.ends_on,
                all_houses=announcement.for_all_houses,
                author=announcement.author,
                created_at=announcement.created_at,
            )
        )
        if announcement.house_codes:
            self._connection.execute(
                insert(houses),
                [
                    {"announcement_id": announcement.id, "house_code": code}
                    for code in sorted(announcement.house_codes)
                ],
            )

    def get(self, announcement_id: str) -> Announcement | None:
        found = self._with_houses(
            list(self._connection.execute(select(table).where(table.c.id == announcement_id)))
        )
        return found[0] if found else None

    def recent(self, limit: int) -> list[Announcement]:
        query = select(table).order_by(table.c.created_at.desc(), table.c.id.desc()).limit(limit)
        return self._with_houses(list(self._connection.execute(query)))

    def active_for_house(self, house_code: str, day: dt.date) -> list[Announcement]:
        for_house = select(houses.c.announcement_id).where(houses.c.house_code == house_code)
        query = select(table).where(
            table.c.starts_on <= day,
            table.c.ends_on >= day,
            or_(table.c.all_houses.is_(True), table.c.id.in_(for_house)),
        )
        return self._with_houses(list(self._connection.execute(query)))

    def _with_houses(self, rows: Sequence[Row[Any]]) -> list[Announcement]:
        ids = [row.id for row in rows if not row.all_houses]
        codes: dict[str, set[str]] = defaultdict(set)
        if ids:
            query = select(houses).where(houses.c.announcement_id.in_(ids))
            for link in self._connection.execute(query):
                codes[link.announcement_id].add(link.house_code)
        return [_announcement(row, codes.get(row.id, ())) for row in rows]


def _announcement(row: Any, house_codes: Iterable[str]) -> Announcement:
    """An announcement from its row (by column name) and the houses it is for."""
    return Announcement(
        id=row.id,
        kind=AnnouncementKind(row.kind),
        title=row.title,
        text=row.text,
        starts_on=row.starts_on,
        ends_on=row.ends_on,
        house_codes=frozenset(house_codes),
        author=row.author,
        created_at=row.created_at,
    )
