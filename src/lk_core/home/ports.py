"""What the main page reads in its one unit of work."""

from __future__ import annotations

from typing import Protocol

from lk_core.access.ports import AccessUnitOfWork
from lk_core.announcements.ports import AnnouncementsReadUnitOfWork
from lk_core.payments.ports import PaymentsUnitOfWork


class HomeUnitOfWork(AccessUnitOfWork, PaymentsUnitOfWork, AnnouncementsReadUnitOfWork, Protocol):
    """The visitor's session and accounts, the settlements, the recent payment orders and
    the house's announcements."""
