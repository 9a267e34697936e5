"""Announcements in the `announcements` and `announcement_houses` tables."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Row, delete, insert, or_, select, update

from lk_adapters.sqlalchemy.tables import announcement_houses as houses
from lk_adapters.sqlalchemy.tables import announcements as table
from lk_core.announcements.announcement import Announcement, AnnouncementKind


class SqlAlchemyAnnouncements:
    """Announcements by id, with the houses they are for."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add(self, announcement: Announcement) -> None:
        self._connection.execute(insert(table).values(id=announcement.id, **_values(announcement)))
        self._link_houses(announcement)

    def save(self, announcement: Announcement, read_revision: int) -> bool:
        statement = (
            update(table)
            .where(table.c.id == announcement.id, table.c.revision == read_revision)
            .values(**_values(announcement))
        )
        if self._connection.execute(statement).rowcount != 1:
            return False
        self._connection.execute(delete(houses).where(houses.c.announcement_id == announcement.id))
        self._link_houses(announcement)
        return True

    def _link_houses(self, announcement: Announcement) -> None:
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
            table.c.withdrawn_at.is_(None),
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


def _values(announcement: Announcement) -> dict[str, Any]:
    a = announcement
    return {
        "kind": a.kind.value, "title": a.title, "text": a.text, "starts_on": a.starts_on,
        "ends_on": a.ends_on, "all_houses": a.for_all_houses, "author": a.author,
        "created_at": a.created_at, "revision": a.revision, "updated_at": a.updated_at,
        "updated_by": a.updated_by, "withdrawn_at": a.withdrawn_at,
        "withdrawn_by": a.withdrawn_by, "withdraw_reason": a.withdraw_reason,
    }  # fmt: skip


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
        revision=row.revision,
        updated_at=row.updated_at,
        updated_by=row.updated_by,
        withdrawn_at=row.withdrawn_at,
        withdrawn_by=row.withdrawn_by,
        withdraw_reason=row.withdraw_reason,
    )
