"""Announcements kept in memory."""

from __future__ import annotations

import datetime as dt

from lk_adapters.memory.store import InMemoryStore
from lk_core.announcements.announcement import Announcement


class InMemoryAnnouncements:
    """Announcements by id (frozen values: stored as they are)."""

    def __init__(self, store: InMemoryStore) -> None:
        self._store = store

    def add(self, announcement: Announcement) -> None:
        if announcement.id in self._store.announcements:
            raise KeyError("an announcement with this id is already stored")
        self._store.announcements[announcement.id] = announcement

    def save(self, announcement: Announcement, read_revision: int) -> bool:
        stored = self._store.announcements.get(announcement.id)
        if stored is None or stored.revision != read_revision:
            return False
        self._store.announcements[announcement.id] = announcement
        return True

    def get(self, announcement_id: str) -> Announcement | None:
        return self._store.announcements.get(announcement_id)

    def recent(self, limit: int) -> list[Announcement]:
        newest = sorted(
            self._store.announcements.values(),
            key=lambda item: (item.created_at, item.id),
            reverse=True,
        )
        return newest[:limit]

    def active_for_house(self, house_code: str, day: dt.date) -> list[Announcement]:
        return [
            item
            for item in self._store.announcements.values()
            if item.is_active_on(day) and item.concerns(house_code)
        ]
