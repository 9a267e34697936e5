"""Billing periods in the `periods` table."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Row, select

from lk_adapters.sqlalchemy.repositories.statements import upsert
from lk_adapters.sqlalchemy.tables import periods as table
from lk_core.kernel.periods import BillingPeriod, Period, PeriodStatus


def _billing_period(row: Row[Any]) -> BillingPeriod:
    return BillingPeriod(
        period=Period.from_code(row.code),
        status=PeriodStatus(row.status),
        closed_at=row.closed_at,
    )


class SqlAlchemyPeriods:
    """Billing periods by their YYYYMM code."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def get(self, period: Period) -> BillingPeriod | None:
        query = select(table).where(table.c.code == period.code)
        row = self._connection.execute(query).first()
        return _billing_period(row) if row is not None else None

    def save(self, billing_period: BillingPeriod) -> None:
        row = {
            "code": billing_period.period.code,
            "status": billing_period.status.value,
            "closed_at": billing_period.closed_at,
        }
        upsert(self._connection, table, [row], key=["code"])

    def list(self) -> list[BillingPeriod]:
        query = select(table).order_by(table.c.code)
        return [_billing_period(row) for row in self._connection.execute(query)]
