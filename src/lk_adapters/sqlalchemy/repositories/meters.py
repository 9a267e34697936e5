"""Meters in the `meters` table."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, Row, select

from lk_adapters.sqlalchemy.driver_sql import DriverSql
from lk_adapters.sqlalchemy.repositories.statements import in_code_point_order, upsert
from lk_adapters.sqlalchemy.tables import meters as table
from lk_core.kernel.periods import Period
from lk_core.readings.meters import DigitCapacity, Meter, MeterKind, TariffZone
from lk_core.readings.reading import EntryStatus


def _row(meter: Meter) -> dict[str, Any]:
    return {
        "id": meter.id,
        "kind": meter.kind.value,
        "service_code": meter.service_code,
        "serial": meter.serial,
        "integer_digits": meter.capacity.integer_digits,
        "fraction_digits": meter.capacity.fraction_digits,
        "zones": ",".join(zone.value for zone in meter.zones),
        "account_key": meter.account_key,
        "house_code": meter.house_code,
        "installed_on": meter.installed_on,
        "next_verification_on": meter.next_verification_on,
        "archived": meter.archived,
    }


def _meter(row: Row[Any]) -> Meter:
    return Meter(
        id=row.id,
        kind=MeterKind(row.kind),
        service_code=row.service_code,
        serial=row.serial,
        capacity=DigitCapacity(row.integer_digits, row.fraction_digits),
        zones=tuple(TariffZone(zone) for zone in row.zones.split(",")),
        account_key=row.account_key,
        house_code=row.house_code,
        installed_on=row.installed_on,
        next_verification_on=row.next_verification_on,
        archived=row.archived,
    )


# On the driver (driver_sql.py): the main page's summary (ADR 0067) counts an account's
# meters in use and those with a standing reading this month, in one statement on the
# (account_key) and (meter_id, period, zone) indexes.
_COUNT_READ = DriverSql(
    "SELECT COUNT(*), SUM(CASE WHEN EXISTS (SELECT 1 FROM readings r WHERE r.meter_id = m.id"
    " AND r.period = :period AND r.status IN (:accepted, :calculated)) THEN 1 ELSE 0 END)"
    " FROM meters m WHERE m.account_key = :key AND NOT m.archived"
)


class SqlAlchemyMeters:
    """Meters by id."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def get(self, meter_id: str) -> Meter | None:
        row = self._connection.execute(select(table).where(table.c.id == meter_id)).first()
        return _meter(row) if row is not None else None

    def upsert_many(self, meters: Sequence[Meter]) -> None:
        upsert(self._connection, table, [_row(meter) for meter in meters], key=["id"])

    def of_account(self, account_key: str) -> list[Meter]:
        return self._where(table.c.account_key == account_key)

    def count_read(self, account_key: str, period: Period) -> tuple[int, int]:
        row = _COUNT_READ.first(
            self._connection,
            {
                "key": account_key,
                "period": period.code,
                "accepted": EntryStatus.ACCEPTED.value,
                "calculated": EntryStatus.CALCULATED.value,
            },
        )
        return (int(row[0]), int(row[1] or 0)) if row is not None else (0, 0)

    def of_accounts(self, account_keys: Sequence[str]) -> list[Meter]:
        if not account_keys:
            return []
        return self._where(table.c.account_key.in_(list(account_keys)))

    def of_house(self, house_code: str) -> list[Meter]:
        return self._where(table.c.house_code == house_code)

    def ids(self) -> set[str]:
        return set(self._connection.execute(select(table.c.id)).scalars())

    def _where(self, condition: ColumnElement[bool]) -> list[Meter]:
        query = (
            select(table)
            .where(condition)
            .order_by(
                in_code_point_order(self._connection, table.c.service_code),
                in_code_point_order(self._connection, table.c.serial),
            )
        )
        return [_meter(row) for row in self._connection.execute(query)]
