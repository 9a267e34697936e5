"""Meter readings in the `readings` table."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Row, delete, select

from lk_adapters.sqlalchemy.repositories.decimals import exact
from lk_adapters.sqlalchemy.repositories.statements import in_code_point_order, upsert
from lk_adapters.sqlalchemy.tables import readings as table
from lk_core.meters import TariffZone
from lk_core.periods import Period
from lk_core.readings import EntryStatus, Reading, ReadingSource


def _row(reading: Reading) -> dict[str, Any]:
    return {
        "id": reading.id,
        "meter_id": reading.meter_id,
        "zone": reading.zone.value,
        "period": reading.period.code,
        "value": reading.value,
        "taken_at": reading.taken_at,
        "source": reading.source.value,
        "status": reading.status.value,
        "rejection_reason": reading.rejection_reason,
    }


def _reading(row: Row[Any]) -> Reading:
    return Reading(
        id=row.id,
        meter_id=row.meter_id,
        zone=TariffZone(row.zone),
        period=Period.from_code(row.period),
        value=exact(row.value),
        taken_at=row.taken_at,
        source=ReadingSource(row.source),
        status=EntryStatus(row.status),
        rejection_reason=row.rejection_reason,
    )


class SqlAlchemyReadings:
    """Readings by id."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def get(self, reading_id: str) -> Reading | None:
        row = self._connection.execute(select(table).where(table.c.id == reading_id)).first()
        return _reading(row) if row is not None else None

    def upsert_many(self, readings: Sequence[Reading]) -> None:
        upsert(self._connection, table, [_row(reading) for reading in readings], key=["id"])

    def of_meter(self, meter_id: str) -> list[Reading]:
        query = (
            select(table)
            .where(table.c.meter_id == meter_id)
            .order_by(
                table.c.period,
                table.c.taken_at,
                in_code_point_order(self._connection, table.c.id),
            )
        )
        return [_reading(row) for row in self._connection.execute(query)]

    def delete(self, reading_id: str) -> None:
        self._connection.execute(delete(table).where(table.c.id == reading_id))

    def of_meters_in(self, meter_ids: Sequence[str], periods: Sequence[Period]) -> list[Reading]:
        if not meter_ids or not periods:
            return []
        query = (
            select(table)
            .where(
                table.c.meter_id.in_(list(meter_ids)),
                # `+ 0` keeps SQLite on the (meter_id, period, zone) index: on the
                # (period, status) one it would read every reading of the month.
                (table.c.period + 0).in_([period.code for period in periods]),
            )
            .order_by(
                table.c.period,
                table.c.taken_at,
                in_code_point_order(self._connection, table.c.id),
            )
        )
        return [_reading(row) for row in self._connection.execute(query)]
