"""Freezing a billing period (the first step of closing the month, F22)."""

from __future__ import annotations

from lk_core.kernel.errors import NotFound
from lk_core.kernel.periods import BillingPeriod, Period
from lk_core.kernel.runtime import Clock
from lk_core.unit_of_work import UnitOfWorkFactory


def freeze_period(uow_factory: UnitOfWorkFactory, clock: Clock, period: Period) -> BillingPeriod:
    """Close the period to further imports; closing a closed period is an error."""
    with uow_factory() as uow:
        billing_period = uow.periods.get(period)
        if billing_period is None:
            raise NotFound("period", str(period))
        billing_period.close(clock.now())
        uow.periods.save(billing_period)
        uow.commit()
        return billing_period
