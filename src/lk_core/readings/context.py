"""What the readings use cases are given: storage, the clock and the rules of acceptance."""

from __future__ import annotations

import attrs

from lk_core.kernel.policies import ReadingPolicy
from lk_core.kernel.runtime import Clock
from lk_core.kernel.transaction import UnitOfWorkFactory
from lk_core.readings.ports import ReadingsUnitOfWork


@attrs.frozen
class ReadingsContext:
    """Storage, the clock, the acceptance rules and the company's time zone (whose calendar
    decides a reading's period)."""

    uow_factory: UnitOfWorkFactory[ReadingsUnitOfWork]
    clock: Clock
    policy: ReadingPolicy = ReadingPolicy()
    time_zone: str = "Europe/Moscow"
