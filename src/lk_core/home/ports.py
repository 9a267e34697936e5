"""What the main page reads in its one unit of work."""

from __future__ import annotations

import datetime as dt
from typing import Protocol

import attrs

from lk_core.access.ports import AccessUnitOfWork
from lk_core.announcements.ports import AnnouncementsReadUnitOfWork
from lk_core.kernel.periods import Period
from lk_core.payments.ports import PaymentsUnitOfWork


class MetersRead(Protocol):
    """How far an account's readings of a month are passed (the summary, ADR 0067)."""

    def count_read(self, account_key: str, period: Period) -> tuple[int, int]:
        """The account's meters in use (not archived), and how many of them have a
        standing reading (accepted or calculated) for `period`."""
        ...


class HomeUnitOfWork(AccessUnitOfWork, PaymentsUnitOfWork, AnnouncementsReadUnitOfWork, Protocol):
    """The visitor's session and accounts, the settlements, the recent payment orders, how
    many of the account's meters are read this month, and the house's announcements."""

    @property
    def meters(self) -> MetersRead: ...


@attrs.frozen
class MainPageReads:
    """The main page's reads, told ahead (`lk_core.kernel.read_ahead`): the session of that
    id hash and what it may show, and the shown account's settlements of `period` (None:
    the newest) and its `orders` newest payment orders; and, given the company's `today`,
    how many of the shown account's meters are read in today's month (the summary) and its
    house's announcements that apply today."""

    session_id_hash: str
    period: Period | None
    orders: int
    today: dt.date | None = None
