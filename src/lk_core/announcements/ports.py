"""What announcements need: their store, houses to check codes against, and, to send them,
the staff's trail and the operator's path of service messages."""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from lk_core.accounts.ports import HouseRepository
from lk_core.announcements.announcement import Announcement
from lk_core.kernel.transaction import Transaction
from lk_core.operator.ports import OperatorUnitOfWork
from lk_core.staff.ports import StaffUnitOfWork


class AnnouncementRepository(Protocol):
    def add(self, announcement: Announcement) -> None:
        """Store a new announcement."""
        ...

    def save(self, announcement: Announcement, read_revision: int) -> bool:
        """Store a changed announcement (its fields and houses) if the stored one is still
        at `read_revision`; False, storing nothing, if it is not (or is not stored)."""
        ...

    def get(self, announcement_id: str) -> Announcement | None:
        """An announcement by id."""
        ...

    def recent(self, limit: int) -> list[Announcement]:
        """The newest announcements (by creation, then id), newest first."""
        ...

    def active_for_house(self, house_code: str, day: dt.date) -> list[Announcement]:
        """The announcements for this house (or every house) that apply on `day` and are
        not withdrawn, in any order."""
        ...


class AnnouncementsReadUnitOfWork(Transaction, Protocol):
    """What the main page reads of announcements."""

    @property
    def announcements(self) -> AnnouncementRepository: ...


class AnnouncementsUnitOfWork(
    StaffUnitOfWork, OperatorUnitOfWork, AnnouncementsReadUnitOfWork, Protocol
):
    """Posting and sending: announcements, houses, the staff's trail, the audience."""

    @property
    def houses(self) -> HouseRepository: ...
