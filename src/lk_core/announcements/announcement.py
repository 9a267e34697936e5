"""Announcements to houses (F31): news, planned outages and emergencies, for the dates
they apply."""

from __future__ import annotations

import datetime as dt
import enum

import attrs


class AnnouncementKind(enum.Enum):
    NEWS = "news"
    PLANNED_OUTAGE = "planned_outage"
    EMERGENCY = "emergency"

    @property
    def label_ru(self) -> str:
        return {
            "news": "новость",
            "planned_outage": "плановое отключение",
            "emergency": "авария",
        }[self.value]

    @property
    def is_outage(self) -> bool:
        return self is not AnnouncementKind.NEWS


class AnnouncementState(enum.Enum):
    """Where an announcement stands on a day, as the desk lists it."""

    ACTIVE = "active"
    PLANNED = "planned"
    ENDED = "ended"
    WITHDRAWN = "withdrawn"

    @property
    def label_ru(self) -> str:
        return {
            "active": "Действуют",
            "planned": "Запланированы",
            "ended": "Закончились",
            "withdrawn": "Сняты",
        }[self.value]

    @property
    def one_ru(self) -> str:
        return {
            "active": "действует",
            "planned": "запланировано",
            "ended": "закончилось",
            "withdrawn": "снято",
        }[self.value]

    @property
    def can_change(self) -> bool:
        """Only what residents see or will see can be corrected or withdrawn."""
        return self in (AnnouncementState.ACTIVE, AnnouncementState.PLANNED)


@attrs.frozen
class Announcement:
    """An announcement; `house_codes` empty means every house. `revision` counts its
    versions (1 as posted): a change is stored only over the revision it was made from."""

    id: str
    kind: AnnouncementKind
    title: str
    text: str
    starts_on: dt.date
    ends_on: dt.date
    house_codes: frozenset[str]
    author: str
    created_at: dt.datetime
    revision: int = 1
    updated_at: dt.datetime | None = None
    updated_by: str | None = None
    withdrawn_at: dt.datetime | None = None
    withdrawn_by: str | None = None
    withdraw_reason: str | None = None

    @property
    def for_all_houses(self) -> bool:
        return not self.house_codes

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    def is_active_on(self, day: dt.date) -> bool:
        """Shown to residents on `day`: within its dates and not withdrawn."""
        return not self.is_withdrawn and self.starts_on <= day <= self.ends_on

    def state_on(self, day: dt.date) -> AnnouncementState:
        if self.is_withdrawn:
            return AnnouncementState.WITHDRAWN
        if day > self.ends_on:
            return AnnouncementState.ENDED
        if day < self.starts_on:
            return AnnouncementState.PLANNED
        return AnnouncementState.ACTIVE

    def concerns(self, house_code: str) -> bool:
        return self.for_all_houses or house_code in self.house_codes

    @property
    def dates_ru(self) -> str:
        """«10.12.2026» or «10.12.2026–12.12.2026»."""
        first = self.starts_on.strftime("%d.%m.%Y")
        if self.ends_on == self.starts_on:
            return first
        return f"{first}–{self.ends_on.strftime('%d.%m.%Y')}"


def shown_order(announcements: list[Announcement]) -> list[Announcement]:
    """Emergencies first, then planned outages, then news; the newest first within each."""
    rank = {AnnouncementKind.EMERGENCY: 0, AnnouncementKind.PLANNED_OUTAGE: 1}
    by_newest = sorted(announcements, key=lambda item: (item.created_at, item.id), reverse=True)
    return sorted(by_newest, key=lambda item: rank.get(item.kind, 2))
