"""Meter readings in the `readings` table."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, Row, insert, literal_column, select, update
from sqlalchemy.exc import IntegrityError

from lk_adapters.sqlalchemy.repositories.decimals import exact
from lk_adapters.sqlalchemy.repositories.statements import in_code_point_order, upsert
from lk_adapters.sqlalchemy.tables import readings as table
from lk_core.kernel.periods import Period
from lk_core.readings.errors import ReadingConflict
from lk_core.readings.meters import TariffZone
from lk_core.readings.reading import EntryStatus, Reading, ReadingSource

# Rows fetched at a time when a period's readings are streamed (server-side cursor).
STREAM_BATCH = 2000


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
        return self.of_meters([meter_id])

    def of_meters(self, meter_ids: Sequence[str], *, withdrawn: bool = True) -> list[Reading]:
        query = select(table).where(table.c.meter_id.in_(list(meter_ids)))
        if not withdrawn:
            gone = [status.value for status in EntryStatus if status.is_withdrawn]
            query = query.where(table.c.status.not_in(gone))
        query = query.order_by(
            in_code_point_order(self._connection, table.c.meter_id),
            table.c.period,
            table.c.taken_at,
            in_code_point_order(self._connection, table.c.id),
        )
        return [_reading(row) for row in self._connection.execute(query)]

    def add_pending(self, reading: Reading) -> None:
        # The partial unique index `uq_readings_one_pending` admits one pending reading
        # per meter, zone and period; a savepoint keeps the transaction usable after a clash.
        try:
            with self._connection.begin_nested():
                self._connection.execute(insert(table).values(_row(reading)))
        except IntegrityError as error:
            raise ReadingConflict() from error

    def withdraw(self, reading_id: str, status: EntryStatus) -> bool:
        changed = self._connection.execute(
            update(table)
            .where(table.c.id == reading_id, table.c.status == EntryStatus.ACCEPTED.value)
            .values(status=status.value)
        )
        return changed.rowcount == 1

    def pending_in(self, period: Period) -> Iterator[Reading]:
        query = (
            select(table)
            .where(table.c.period == period.code, table.c.status == EntryStatus.ACCEPTED.value)
            .order_by(
                in_code_point_order(self._connection, table.c.meter_id),
                table.c.zone,
                table.c.taken_at,
            )
        )
        streaming = self._connection.execution_options(yield_per=STREAM_BATCH)
        for row in streaming.execute(query):
            yield _reading(row)

    def pending_after(self, period: Period, after_id: str, limit: int) -> list[Reading]:
        ordered_id = in_code_point_order(self._connection, table.c.id)
        query = (
            select(table)
            .where(
                table.c.period == period.code,
                # A literal, not a parameter: SQLite uses the partial index
                # ix_readings_pending_by_id only when it can see the query implies its WHERE.
                table.c.status == literal_column("'accepted'"),
                ordered_id > after_id,
            )
            .order_by(ordered_id)
            .limit(limit)
        )
        return [_reading(row) for row in self._connection.execute(query)]

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
