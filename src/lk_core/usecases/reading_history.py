"""A meter's reading history (F16) and the building's common-house meters (F17)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from itertools import pairwise

import attrs

from lk_core.access.context import AccessContext
from lk_core.accounts.account import Account
from lk_core.kernel.errors import NotFound
from lk_core.kernel.periods import Period
from lk_core.readings.meter_lines import standing_by_period
from lk_core.readings.meters import Meter, MeterKind, TariffZone
from lk_core.readings.reading import Reading, consumption_between


@attrs.frozen
class HistoryRow:
    """A reading and, if it stands as the meter's value, the consumption since the one before."""

    reading: Reading
    consumption: Decimal | None


def history_rows(meter: Meter, readings: Sequence[Reading]) -> tuple[HistoryRow, ...]:
    """Every reading of the meter, newest first; withdrawn and refused ones too."""
    rows: list[HistoryRow] = []
    for zone in meter.zones:
        own = [r for r in readings if r.zone is zone]
        standing = standing_by_period(own)
        ordered = sorted(standing)
        before = {p: standing[q] for q, p in pairwise(ordered)}
        for reading in own:
            earlier = before.get(reading.period)
            counts = standing.get(reading.period) is reading and earlier is not None
            used = (
                consumption_between(earlier.value, reading.value, meter.capacity)
                if counts and earlier is not None
                else None
            )
            rows.append(HistoryRow(reading, used))
    rows.sort(key=lambda row: (row.reading.period, row.reading.taken_at), reverse=True)
    return tuple(rows)


@attrs.frozen
class MeterHistory:
    account: Account
    meter: Meter
    rows: tuple[HistoryRow, ...]


def meter_history(ctx: AccessContext, account_key: str, meter_id: str) -> MeterHistory:
    """The history of one of the account's own meters."""
    with ctx.uow_factory(read_only=True) as uow:
        account = uow.accounts.get(account_key)
        meter = uow.meters.get(meter_id)
        if account is None or meter is None or meter.account_key != account_key:
            raise NotFound("meter", meter_id)
        return MeterHistory(account, meter, history_rows(meter, uow.readings.of_meter(meter_id)))


@attrs.frozen
class CommonColumn:
    """One zone of one common-house meter: a column of the building's table."""

    meter: Meter
    zone: TariffZone
    service_name: str
    unit: str


@attrs.frozen
class CommonPeriod:
    """One period's values of every column (None where nothing was read)."""

    period: Period
    cells: tuple[HistoryRow | None, ...]


@attrs.frozen
class HouseReadings:
    account: Account
    address: str
    columns: tuple[CommonColumn, ...]
    periods: tuple[CommonPeriod, ...]


def house_readings(ctx: AccessContext, account_key: str) -> HouseReadings:
    """The common-house meters of the account's building, by period, newest first."""
    with ctx.uow_factory(read_only=True) as uow:
        account = uow.accounts.get(account_key)
        if account is None:
            raise NotFound("account", account_key)
        house = uow.houses.get(account.house_code)
        meters = [m for m in uow.meters.of_house(account.house_code) if m.kind is MeterKind.COMMON]
        services = {s.code: s for s in uow.services.list()}
        readings = uow.readings.of_meters([m.id for m in meters])
    columns: list[CommonColumn] = []
    values: dict[tuple[int, Period], HistoryRow] = {}
    for meter in meters:
        service = services.get(meter.service_code)
        rows = history_rows(meter, [r for r in readings if r.meter_id == meter.id])
        for zone in meter.zones:
            columns.append(
                CommonColumn(
                    meter, zone, service.name if service else meter.service_code,
                    service.unit if service else "",
                )
            )  # fmt: skip
            for row in rows:
                if row.reading.zone is zone and row.reading.status.counts:
                    values.setdefault((len(columns) - 1, row.reading.period), row)
    periods = sorted({period for _, period in values}, reverse=True)
    table = tuple(
        CommonPeriod(p, tuple(values.get((i, p)) for i in range(len(columns)))) for p in periods
    )
    return HouseReadings(account, house.address if house else "", tuple(columns), table)
