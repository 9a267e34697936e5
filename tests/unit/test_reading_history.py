"""A meter's history (F16) and the building's common-house meters (F17)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from access_fixtures import IVANOV, Portal, a_portal
from lk_core.kernel.errors import NotFound
from lk_core.readings.history import history_rows, house_readings, meter_history
from lk_core.readings.meters import DigitCapacity, Meter, MeterKind
from lk_core.readings.reading import EntryStatus
from lk_core.readings.submission import delete_reading, readings_form, submit_readings
from readings_fixtures import (
    COLD_WATER,
    DECEMBER,
    FEBRUARY,
    JANUARY,
    MARCH,
    NEIGHBOURS_WATER,
    a_reading,
    load_meters,
)


@pytest.fixture
def portal() -> Portal:
    portal = a_portal()
    load_meters(portal.uow_factory)
    return portal


def test_the_history_lists_values_newest_first_with_the_consumption_of_each(
    portal: Portal,
) -> None:
    history = meter_history(portal.ctx, IVANOV, COLD_WATER.id)

    assert [(r.reading.period, r.consumption) for r in history.rows] == [
        (FEBRUARY, Decimal("12.500")),
        (JANUARY, Decimal("10.000")),
        (DECEMBER, None),
    ]


def test_the_history_keeps_replaced_and_deleted_values_without_consumption(
    portal: Portal,
) -> None:
    submit_readings(portal.ctx, IVANOV, "HVS", {"M-HVS|single": "130"})
    portal.clock.advance(minutes=1)
    submit_readings(portal.ctx, IVANOV, "HVS", {"M-HVS|single": "131"})
    pending = readings_form(portal.ctx, IVANOV, "HVS").lines[0].pending
    assert pending is not None
    portal.clock.advance(minutes=1)
    delete_reading(portal.ctx, IVANOV, pending.id)

    rows = meter_history(portal.ctx, IVANOV, COLD_WATER.id).rows

    assert [(r.reading.period, r.reading.status, r.consumption) for r in rows[:3]] == [
        (MARCH, EntryStatus.DELETED, None),
        (MARCH, EntryStatus.REPLACED, None),
        (FEBRUARY, EntryStatus.CALCULATED, Decimal("12.500")),
    ]


def test_consumption_counts_through_zero_when_the_counter_rolled_over() -> None:
    meter = Meter("M", MeterKind.INDIVIDUAL, "HVS", "1", DigitCapacity(3), account_key="1")
    rows = history_rows(meter, [a_reading(meter, JANUARY, "995"), a_reading(meter, FEBRUARY, "7")])

    assert rows[0].consumption == 12


def test_another_accounts_meter_has_no_history_to_see(portal: Portal) -> None:
    with pytest.raises(NotFound):
        meter_history(portal.ctx, IVANOV, NEIGHBOURS_WATER.id)


def test_the_buildings_common_house_meters_are_shown_by_period(portal: Portal) -> None:
    house = house_readings(portal.ctx, IVANOV)

    assert house.address == "г. Тверь, ул. Советская, д. 1"
    assert [(c.meter.serial, c.service_name, c.unit) for c in house.columns] == [
        ("ТС-1", "Отопление", "Гкал")
    ]
    assert [p.period for p in house.periods] == [FEBRUARY, JANUARY]
    february = house.periods[0].cells[0]
    assert february is not None
    assert (february.reading.value, february.consumption) == (
        Decimal("1310.750"),
        Decimal("110.250"),
    )
