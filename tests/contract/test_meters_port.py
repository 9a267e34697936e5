"""The meter repository: individual meters of accounts, common ones of houses."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from lk_adapters.portal_unit_of_work import PortalUnitOfWorkFactory
from lk_core.readings.meters import DigitCapacity, TariffZone
from lk_core.readings.reading import EntryStatus

from .builders import (
    OCTOBER,
    a_common_meter,
    a_house,
    a_meter,
    a_reading,
    a_service,
    an_account,
    given,
)


@pytest.fixture
def uow_factory_with_accounts(uow_factory: PortalUnitOfWorkFactory) -> PortalUnitOfWorkFactory:
    given(
        uow_factory,
        houses=[a_house("H1"), a_house("H2")],
        services=[a_service(code) for code in ("HW", "CW", "EL", "el")],
        accounts=[an_account("100234"), an_account("100235")],
    )
    return uow_factory


def test_a_stored_meter_is_found_by_its_id(
    uow_factory_with_accounts: PortalUnitOfWorkFactory,
) -> None:
    uow_factory = uow_factory_with_accounts
    meter = a_meter(
        "M1",
        service_code="EL",
        serial="0123456",
        capacity=DigitCapacity(6, 2),
        zones=(TariffZone.NIGHT, TariffZone.DAY, TariffZone.PEAK),
        installed_on=dt.date(2019, 12, 31),
        next_verification_on=None,
        archived=True,
    )
    common = a_common_meter("C1", house_code="H2", installed_on=None)

    with uow_factory() as uow:
        uow.meters.upsert_many([meter, common])
        uow.commit()

    with uow_factory() as uow:
        assert uow.meters.get("M1") == meter
        assert uow.meters.get("C1") == common


def test_an_unknown_meter_is_not_found(uow_factory_with_accounts: PortalUnitOfWorkFactory) -> None:
    with uow_factory_with_accounts() as uow:
        uow.meters.upsert_many([a_meter("M1")])
        assert uow.meters.get("M2") is None


def test_upserting_a_meter_with_a_known_id_updates_it(
    uow_factory_with_accounts: PortalUnitOfWorkFactory,
) -> None:
    uow_factory = uow_factory_with_accounts
    given(uow_factory, meters=[a_meter("M1")])
    replaced = a_meter("M1", serial="SN-NEW", account_key="100235", archived=True)

    with uow_factory() as uow:
        uow.meters.upsert_many([replaced])
        uow.commit()

    with uow_factory() as uow:
        assert uow.meters.get("M1") == replaced
        assert uow.meters.ids() == {"M1"}


def test_an_accounts_meters_are_listed_by_service_and_serial(
    uow_factory_with_accounts: PortalUnitOfWorkFactory,
) -> None:
    uow_factory = uow_factory_with_accounts
    meters = [
        a_meter("M1", service_code="HW", serial="B-2"),
        a_meter("M2", service_code="CW", serial="Z-9"),
        a_meter("M3", service_code="HW", serial="A-1"),
        a_meter("M4", service_code="el", serial="1"),
        a_meter("M5", service_code="EL", serial="b-1"),
        a_meter("M6", service_code="EL", serial="B-1"),
        a_meter("X1", account_key="100235"),
        a_common_meter("C1"),
    ]

    with uow_factory() as uow:
        uow.meters.upsert_many(meters)
        listed = uow.meters.of_account("100234")

    expected = sorted(
        (m for m in meters if m.account_key == "100234"), key=lambda m: (m.service_code, m.serial)
    )
    assert listed == expected
    assert [m.id for m in listed] == ["M2", "M6", "M5", "M3", "M1", "M4"]


def test_a_houses_common_meters_are_listed_by_service_and_serial(
    uow_factory_with_accounts: PortalUnitOfWorkFactory,
) -> None:
    uow_factory = uow_factory_with_accounts
    with uow_factory() as uow:
        uow.meters.upsert_many(
            [
                a_common_meter("C1", service_code="HW", serial="2"),
                a_common_meter("C2", service_code="CW", serial="9"),
                a_common_meter("C3", service_code="HW", serial="1"),
                a_common_meter("C4", house_code="H2"),
                a_meter("M1"),
            ]
        )

        assert [m.id for m in uow.meters.of_house("H1")] == ["C2", "C3", "C1"]
        assert [m.id for m in uow.meters.of_house("H2")] == ["C4"]


def test_without_meters_nothing_is_listed(
    uow_factory_with_accounts: PortalUnitOfWorkFactory,
) -> None:
    with uow_factory_with_accounts() as uow:
        uow.meters.upsert_many([])
        assert uow.meters.of_account("100234") == []
        assert uow.meters.of_house("H1") == []
        assert uow.meters.ids() == set()


def test_ids_are_those_of_every_meter(uow_factory_with_accounts: PortalUnitOfWorkFactory) -> None:
    with uow_factory_with_accounts() as uow:
        uow.meters.upsert_many([a_meter("M1"), a_meter("M2"), a_common_meter("C1")])
        assert uow.meters.ids() == {"M1", "M2", "C1"}


def test_a_meter_keeps_the_order_of_its_tariff_zones(
    uow_factory_with_accounts: PortalUnitOfWorkFactory,
) -> None:
    zones = (TariffZone.PEAK, TariffZone.NIGHT, TariffZone.HALF_PEAK)
    with uow_factory_with_accounts() as uow:
        uow.meters.upsert_many([attrs.evolve(a_meter("M1"), zones=zones)])
        found = uow.meters.get("M1")

    assert found is not None
    assert found.zones == zones


# --- receipts and month close (F11, F22) ---


def test_the_meters_of_several_accounts_come_in_one_call(
    uow_factory_with_accounts: PortalUnitOfWorkFactory,
) -> None:
    uow_factory = uow_factory_with_accounts
    with uow_factory() as uow:
        uow.meters.upsert_many(
            [
                a_meter("M1", account_key="100234", serial="SN-2"),
                a_meter("M2", account_key="100235", serial="SN-1"),
                a_meter("M3", account_key="100234", service_code="CW"),
            ]
        )

        found = uow.meters.of_accounts(["100234", "100235"])
        one = uow.meters.of_accounts(["100235"])
        none = uow.meters.of_accounts([])

    assert [m.id for m in found] == ["M3", "M2", "M1"]  # by service, then serial
    assert [m.id for m in one] == ["M2"]
    assert none == []


def test_the_meters_in_use_and_those_read_in_a_month_are_counted(
    uow_factory_with_accounts: PortalUnitOfWorkFactory,
) -> None:
    uow_factory = uow_factory_with_accounts
    meters = [
        a_meter("M1"),  # read, and read again after a refusal: counted once
        a_meter("M2", serial="SN-002", zones=(TariffZone.DAY, TariffZone.NIGHT)),  # billed
        a_meter("M3", serial="SN-003"),  # only a refused and a withdrawn reading
        a_meter("M4", serial="SN-004"),  # read in another month only
        a_meter("M5", serial="SN-005", archived=True),  # not in use, though read
        a_meter("M6", account_key="100235"),  # another account's
    ]
    readings = [
        a_reading("R1", meter_id="M1", status=EntryStatus.REJECTED),
        a_reading("R2", meter_id="M1"),
        a_reading("R3", meter_id="M2", zone=TariffZone.DAY, status=EntryStatus.CALCULATED),
        a_reading("R4", meter_id="M2", zone=TariffZone.NIGHT, status=EntryStatus.CALCULATED),
        a_reading("R5", meter_id="M3", status=EntryStatus.REJECTED),
        a_reading("R6", meter_id="M3", zone=TariffZone.SINGLE, status=EntryStatus.DELETED),
        a_reading("R7", meter_id="M4", period=OCTOBER.previous()),
        a_reading("R8", meter_id="M5"),
        a_reading("R9", meter_id="M6"),
    ]
    with uow_factory() as uow:
        uow.meters.upsert_many(meters)
        uow.readings.upsert_many(readings)
        uow.commit()

    with uow_factory(read_only=True) as uow:
        assert uow.meters.count_read("100234", OCTOBER) == (4, 2)
        assert uow.meters.count_read("100234", OCTOBER.next()) == (4, 0)
        assert uow.meters.count_read("no such account", OCTOBER) == (0, 0)
