"""What the main page reads in its one unit of work."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from lk_core.access.ports import AccessUnitOfWork
from lk_core.kernel.periods import Period
from lk_core.payments.ports import PaymentsUnitOfWork
from lk_core.readings.ports import MeterRepository
from lk_core.readings.reading import Reading


class PeriodReadings(Protocol):
    """The readings of an account's meters in given periods (the summary's count)."""

    def of_meters_in(self, meter_ids: Sequence[str], periods: Sequence[Period]) -> list[Reading]:
        """The readings of several meters in the given periods, oldest first."""
        ...


class HomeUnitOfWork(AccessUnitOfWork, PaymentsUnitOfWork, Protocol):
    """The visitor's session and accounts, the settlements, the recent payment orders, and
    the account's meters with this month's readings."""

    @property
    def meters(self) -> MeterRepository: ...

    @property
    def readings(self) -> PeriodReadings: ...
