"""What the announcement use cases are given."""

from __future__ import annotations

import attrs

from lk_core.announcements.ports import AnnouncementsUnitOfWork
from lk_core.kernel.runtime import Clock
from lk_core.kernel.transaction import UnitOfWorkFactory


@attrs.frozen
class AnnouncementsContext:
    """Storage, the clock, and what a message says and how fast SMS go out."""

    uow_factory: UnitOfWorkFactory[AnnouncementsUnitOfWork]
    clock: Clock
    company_name: str
    time_zone: str = "Europe/Moscow"
    sms_per_minute: int = 60
