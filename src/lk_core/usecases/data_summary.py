"""What data the portal holds: counts an operator or the start page can show."""

from __future__ import annotations

import attrs

from lk_core.kernel.periods import Period
from lk_core.unit_of_work import UnitOfWorkFactory


@attrs.frozen
class DataSummary:
    houses: int
    accounts: int
    ledger_lines: int
    open_periods: tuple[Period, ...]
    closed_periods: tuple[Period, ...]

    @property
    def is_empty(self) -> bool:
        return self.accounts == 0


def summarise_data(uow_factory: UnitOfWorkFactory) -> DataSummary:
    """Count what is loaded."""
    with uow_factory(read_only=True) as uow:
        periods = uow.periods.list()
        return DataSummary(
            houses=len(uow.houses.codes()),
            accounts=uow.accounts.count(),
            ledger_lines=uow.ledger.count(),
            open_periods=tuple(p.period for p in periods if not p.is_closed),
            closed_periods=tuple(p.period for p in periods if p.is_closed),
        )
