"""Meters and reading histories the readings tests share, loaded into a portal's store."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from access_fixtures import IVANOV, PETROVA
from lk_core.kernel.periods import Period
from lk_core.ledger.services import Service
from lk_core.readings.meters import DigitCapacity, Meter, MeterKind, TariffZone
from lk_core.readings.reading import EntryStatus, Reading, ReadingSource
from lk_core.unit_of_work import UnitOfWorkFactory

# The access fixtures' clock starts on 2 March 2026: readings go to March.
MARCH = Period(2026, 3)
FEBRUARY, JANUARY, DECEMBER = Period(2026, 2), Period(2026, 1), Period(2025, 12)

WATER = Service("HVS", "Холодное водоснабжение", "м³")
POWER = Service("EE", "Электроэнергия", "кВт·ч")
HEAT = Service("OTP", "Отопление", "Гкал")

COLD_WATER = Meter(
    "M-HVS", MeterKind.INDIVIDUAL, "HVS", "ХВ-0042", DigitCapacity(5, 3), account_key=IVANOV
)
ELECTRICITY = Meter(
    "M-EE", MeterKind.INDIVIDUAL, "EE", "ЭЛ-7731", DigitCapacity(5, 1),
    (TariffZone.DAY, TariffZone.NIGHT), account_key=IVANOV,
)  # fmt: skip
NEIGHBOURS_WATER = Meter(
    "M-HVS-2", MeterKind.INDIVIDUAL, "HVS", "ХВ-0043", DigitCapacity(5, 3), account_key=PETROVA
)
HOUSE_HEAT = Meter("H1-OTP", MeterKind.COMMON, "OTP", "ТС-1", DigitCapacity(8, 3), house_code="H1")


def a_reading(
    meter: Meter,
    period: Period,
    value: str,
    *,
    zone: TariffZone = TariffZone.SINGLE,
    source: ReadingSource = ReadingSource.OPERATOR,
    status: EntryStatus = EntryStatus.CALCULATED,
) -> Reading:
    taken = dt.datetime(period.year, period.month, 20, 9, tzinfo=dt.UTC)
    zone_part = "" if zone is TariffZone.SINGLE else f"-{zone.value}"
    return Reading(
        f"{meter.id}-{period.code}{zone_part}", meter.id, zone, period, Decimal(value), taken,
        source, status,
    )  # fmt: skip


def history() -> list[Reading]:
    """Water used 10, 12 and 11 m³ a month; electricity 150/60 kWh; the house's heat."""
    return [
        a_reading(COLD_WATER, DECEMBER, "100.000"),
        a_reading(COLD_WATER, JANUARY, "110.000"),
        a_reading(COLD_WATER, FEBRUARY, "122.500", source=ReadingSource.PORTAL),
        a_reading(ELECTRICITY, FEBRUARY, "8000.5", zone=TariffZone.DAY),
        a_reading(ELECTRICITY, FEBRUARY, "3000.0", zone=TariffZone.NIGHT),
        a_reading(NEIGHBOURS_WATER, FEBRUARY, "50.000"),
        a_reading(HOUSE_HEAT, JANUARY, "1200.500", source=ReadingSource.INSPECTOR),
        a_reading(HOUSE_HEAT, FEBRUARY, "1310.750", source=ReadingSource.INSPECTOR),
    ]


def load_meters(
    uow_factory: UnitOfWorkFactory,
    meters: Sequence[Meter] = (COLD_WATER, ELECTRICITY, NEIGHBOURS_WATER, HOUSE_HEAT),
    readings: Sequence[Reading] | None = None,
) -> None:
    with uow_factory() as uow:
        uow.services.upsert_many([WATER, POWER, HEAT])
        uow.meters.upsert_many(list(meters))
        uow.readings.upsert_many(history() if readings is None else list(readings))
        uow.commit()
