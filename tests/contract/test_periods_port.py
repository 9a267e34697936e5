"""The period repository: each billing period's state."""

from __future__ import annotations

import datetime as dt

from lk_core.kernel.periods import BillingPeriod, Period, PeriodStatus
from lk_core.unit_of_work import UnitOfWorkFactory

from .builders import MOSCOW, NOON, OCTOBER


def save(uow_factory: UnitOfWorkFactory, *billing_periods: BillingPeriod) -> None:
    with uow_factory() as uow:
        for billing_period in billing_periods:
            uow.periods.save(billing_period)
        uow.commit()


def test_an_unknown_period_is_not_found(uow_factory: UnitOfWorkFactory) -> None:
    save(uow_factory, BillingPeriod(OCTOBER))

    with uow_factory() as uow:
        assert uow.periods.get(Period(2026, 9)) is None


def test_a_saved_open_period_is_found_open(uow_factory: UnitOfWorkFactory) -> None:
    save(uow_factory, BillingPeriod(OCTOBER))

    with uow_factory() as uow:
        assert uow.periods.get(OCTOBER) == BillingPeriod(OCTOBER, PeriodStatus.OPEN, None)


def test_saving_a_closed_period_keeps_the_moment_it_was_closed(
    uow_factory: UnitOfWorkFactory,
) -> None:
    save(uow_factory, BillingPeriod(OCTOBER))
    closed_in_moscow = dt.datetime(2026, 11, 3, 18, 30, 15, 123456, tzinfo=MOSCOW)
    with uow_factory() as uow:
        billing_period = uow.periods.get(OCTOBER)
        assert billing_period is not None
        billing_period.close(closed_in_moscow)
        uow.periods.save(billing_period)
        uow.commit()

    with uow_factory() as uow:
        found = uow.periods.get(OCTOBER)

    assert found is not None
    assert found.is_closed
    assert found.closed_at == closed_in_moscow


def test_periods_are_listed_oldest_first(uow_factory: UnitOfWorkFactory) -> None:
    save(
        uow_factory,
        BillingPeriod(Period(2026, 3)),
        BillingPeriod(Period(2025, 12), PeriodStatus.CLOSED, NOON),
        BillingPeriod(Period(2026, 1)),
    )

    with uow_factory() as uow:
        listed = uow.periods.list()

    assert [p.period for p in listed] == [Period(2025, 12), Period(2026, 1), Period(2026, 3)]
    assert [p.status for p in listed] == [
        PeriodStatus.CLOSED,
        PeriodStatus.OPEN,
        PeriodStatus.OPEN,
    ]


def test_without_periods_the_list_is_empty(uow_factory: UnitOfWorkFactory) -> None:
    with uow_factory() as uow:
        assert uow.periods.list() == []


def test_changing_a_period_found_changes_nothing_until_it_is_saved(
    uow_factory: UnitOfWorkFactory,
) -> None:
    save(uow_factory, BillingPeriod(OCTOBER))

    with uow_factory() as uow:
        found = uow.periods.get(OCTOBER)
        assert found is not None
        found.close(NOON)
        assert uow.periods.get(OCTOBER) == BillingPeriod(OCTOBER)
