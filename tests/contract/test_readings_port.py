"""The reading repository: readings by id, and a meter's readings in time order.

A value comes back equal to the one stored and never padded to the column's scale
(`12.345` stays `12.345`), but trailing zeros may be lost: `Decimal("12.30")` may come
back as `Decimal("12.3")`. That is the same number with the same significant fraction
digits, which is what the digit-capacity rules look at.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from lk_adapters.portal_unit_of_work import PortalUnitOfWorkFactory
from lk_core.kernel.periods import Period
from lk_core.readings.errors import ReadingConflict
from lk_core.readings.meters import TariffZone, fraction_digits_of
from lk_core.readings.reading import EntryStatus, ReadingSource

from .builders import MOSCOW, OCTOBER, a_house, a_meter, a_reading, a_service, an_account, at
from .builders import given as store

SEPTEMBER = Period(2026, 9)
REPLACED = EntryStatus.REPLACED


@pytest.fixture
def uow_factory_with_meters(uow_factory: PortalUnitOfWorkFactory) -> PortalUnitOfWorkFactory:
    store(
        uow_factory,
        houses=[a_house("H1")],
        services=[a_service("EL")],
        accounts=[an_account("100234")],
        meters=[a_meter("M1", service_code="EL"), a_meter("M2", service_code="EL")],
    )
    return uow_factory


def test_a_stored_reading_is_found_by_its_id(
    uow_factory_with_meters: PortalUnitOfWorkFactory,
) -> None:
    uow_factory = uow_factory_with_meters
    reading = a_reading(
        "R1",
        meter_id="M1",
        zone=TariffZone.NIGHT,
        period=OCTOBER,
        value=Decimal("98765.432"),
        taken_at=dt.datetime(2026, 10, 20, 23, 59, 59, 999999, tzinfo=MOSCOW),
        source=ReadingSource.INSPECTOR,
        status=EntryStatus.REJECTED,
        rejection_reason="Показание меньше предыдущего",
    )

    with uow_factory() as uow:
        uow.readings.upsert_many([reading])
        uow.commit()

    with uow_factory() as uow:
        assert uow.readings.get("R1") == reading


def test_an_unknown_reading_is_not_found(uow_factory_with_meters: PortalUnitOfWorkFactory) -> None:
    with uow_factory_with_meters() as uow:
        uow.readings.upsert_many([a_reading("R1")])
        assert uow.readings.get("R2") is None


@pytest.mark.parametrize("written", ["12.345", "0", "100", "999999999999999999.999999", "0.000001"])
def test_a_value_comes_back_with_the_digits_it_was_written_with(
    uow_factory_with_meters: PortalUnitOfWorkFactory, written: str
) -> None:
    with uow_factory_with_meters() as uow:
        uow.readings.upsert_many([a_reading("R1", value=Decimal(written))])
        uow.commit()

    with uow_factory_with_meters() as uow:
        found = uow.readings.get("R1")

    assert found is not None
    assert str(found.value) == written


def test_a_value_with_trailing_zeros_comes_back_equal_with_the_same_significant_digits(
    uow_factory_with_meters: PortalUnitOfWorkFactory,
) -> None:
    with uow_factory_with_meters() as uow:
        uow.readings.upsert_many([a_reading("R1", value=Decimal("12.30"))])
        uow.commit()

    with uow_factory_with_meters() as uow:
        found = uow.readings.get("R1")

    assert found is not None
    assert found.value == Decimal("12.30")
    assert str(found.value) in {"12.30", "12.3"}
    assert fraction_digits_of(found.value) == 1


def test_upserting_a_reading_with_a_known_id_replaces_it(
    uow_factory_with_meters: PortalUnitOfWorkFactory,
) -> None:
    uow_factory = uow_factory_with_meters
    with uow_factory() as uow:
        uow.readings.upsert_many([a_reading("R1")])
        uow.commit()

    with uow_factory() as uow:
        reading = uow.readings.get("R1")
        assert reading is not None
        reading.reject("Прибор не поверен")
        uow.readings.upsert_many([reading])
        uow.commit()

    with uow_factory() as uow:
        assert uow.readings.get("R1") == reading
        assert len(uow.readings.of_meter("M1")) == 1


def test_a_meters_readings_are_listed_by_period_then_time_taken(
    uow_factory_with_meters: PortalUnitOfWorkFactory,
) -> None:
    with uow_factory_with_meters() as uow:
        uow.readings.upsert_many(
            [
                a_reading("R-oct-late", period=OCTOBER, taken_at=at(60)),
                a_reading("R-sep-late", period=SEPTEMBER, taken_at=at(120)),
                a_reading("R-oct-early", period=OCTOBER, taken_at=at(-60), status=REPLACED),
                a_reading("R-sep-early", period=SEPTEMBER, taken_at=at(-120), status=REPLACED),
                a_reading("R-other-meter", meter_id="M2"),
            ]
        )

        listed = uow.readings.of_meter("M1")

    assert [r.id for r in listed] == ["R-sep-early", "R-sep-late", "R-oct-early", "R-oct-late"]


def test_a_meter_without_readings_lists_none(
    uow_factory_with_meters: PortalUnitOfWorkFactory,
) -> None:
    with uow_factory_with_meters() as uow:
        uow.readings.upsert_many([a_reading("R1", meter_id="M1")])
        assert uow.readings.of_meter("M2") == []


def test_changing_a_reading_found_changes_nothing_until_it_is_stored(
    uow_factory_with_meters: PortalUnitOfWorkFactory,
) -> None:
    with uow_factory_with_meters() as uow:
        uow.readings.upsert_many([a_reading("R1")])
        found = uow.readings.get("R1")
        assert found is not None
        found.mark_calculated()
        assert uow.readings.get("R1") == a_reading("R1")


def test_readings_of_several_meters_are_listed_meter_by_meter(
    uow_factory_with_meters: PortalUnitOfWorkFactory,
) -> None:
    with uow_factory_with_meters() as uow:
        uow.readings.upsert_many(
            [
                a_reading("R2-oct", meter_id="M2"),
                a_reading("R1-oct", meter_id="M1"),
                a_reading("R1-sep", meter_id="M1", period=SEPTEMBER),
            ]
        )

        listed = uow.readings.of_meters(["M1", "M2"])

    assert [r.id for r in listed] == ["R1-sep", "R1-oct", "R2-oct"]


def test_readings_replaced_or_deleted_can_be_left_out_and_the_rest_keep_their_order(
    uow_factory_with_meters: PortalUnitOfWorkFactory,
) -> None:
    statuses = list(EntryStatus)
    with uow_factory_with_meters() as uow:
        uow.readings.upsert_many(
            [
                a_reading(f"R-{n}-{status.value}", period=period, status=status, taken_at=at(n))
                for n, (period, status) in enumerate(
                    (period, status) for period in (SEPTEMBER, OCTOBER) for status in statuses
                )
            ]
        )

        every = uow.readings.of_meters(["M1"])
        standing = uow.readings.of_meters(["M1"], withdrawn=False)

    assert len(every) == 2 * len(statuses)
    assert standing == [
        r for r in every if r.status not in (EntryStatus.REPLACED, EntryStatus.DELETED)
    ]
    assert {r.status for r in standing} == {
        EntryStatus.ACCEPTED, EntryStatus.CALCULATED, EntryStatus.REJECTED
    }  # fmt: skip


def test_a_pending_reading_is_added_once_per_meter_zone_and_period(
    uow_factory_with_meters: PortalUnitOfWorkFactory,
) -> None:
    uow_factory = uow_factory_with_meters
    with uow_factory() as uow:
        uow.readings.add_pending(a_reading("R1"))
        uow.commit()

    with uow_factory() as uow:
        with pytest.raises(ReadingConflict):
            uow.readings.add_pending(a_reading("R2"))
        uow.readings.add_pending(a_reading("R3", zone=TariffZone.DAY))
        uow.readings.add_pending(a_reading("R4", period=SEPTEMBER))
        uow.commit()

    with uow_factory() as uow:
        assert [r.id for r in uow.readings.of_meter("M1")] == ["R4", "R1", "R3"]


def test_a_withdrawn_reading_frees_its_place_for_a_new_one(
    uow_factory_with_meters: PortalUnitOfWorkFactory,
) -> None:
    with uow_factory_with_meters() as uow:
        uow.readings.add_pending(a_reading("R1"))
        assert uow.readings.withdraw("R1", REPLACED) is True
        uow.readings.add_pending(a_reading("R2", taken_at=at(5)))
        uow.commit()

    with uow_factory_with_meters() as uow:
        assert [(r.id, r.status) for r in uow.readings.of_meter("M1")] == [
            ("R1", REPLACED),
            ("R2", EntryStatus.ACCEPTED),
        ]


@pytest.mark.parametrize("status", [EntryStatus.CALCULATED, EntryStatus.REJECTED, REPLACED])
def test_only_a_pending_reading_can_be_withdrawn(
    uow_factory_with_meters: PortalUnitOfWorkFactory, status: EntryStatus
) -> None:
    with uow_factory_with_meters() as uow:
        uow.readings.upsert_many([a_reading("R1", status=status)])
        assert uow.readings.withdraw("R1", EntryStatus.DELETED) is False
        assert uow.readings.withdraw("no-such-reading", EntryStatus.DELETED) is False
        found = uow.readings.get("R1")

    assert found is not None
    assert found.status is status


def test_the_pending_readings_of_a_period_stream_by_meter_and_zone(
    uow_factory_with_meters: PortalUnitOfWorkFactory,
) -> None:
    with uow_factory_with_meters() as uow:
        uow.readings.upsert_many(
            [
                a_reading("M2-night", meter_id="M2", zone=TariffZone.NIGHT),
                a_reading("M2-day", meter_id="M2", zone=TariffZone.DAY),
                a_reading("M1", meter_id="M1"),
                a_reading("M1-calculated", status=EntryStatus.CALCULATED, taken_at=at(3)),
                a_reading("M1-september", period=SEPTEMBER),
            ]
        )

        streamed = [r.id for r in uow.readings.pending_in(OCTOBER)]

    assert streamed == ["M1", "M2-day", "M2-night"]


# --- receipts and month close (F11, F22) ---


def test_the_readings_of_several_meters_in_some_periods_come_in_one_call(
    uow_factory_with_meters: PortalUnitOfWorkFactory,
) -> None:
    uow_factory = uow_factory_with_meters
    with uow_factory() as uow:
        uow.readings.upsert_many(
            [
                a_reading(f"r-{m}-{p.code}", meter_id=m, period=p)
                for m in ("M1", "M2")
                for p in (SEPTEMBER, OCTOBER)
            ]
            + [a_reading("r-old", meter_id="M1", period=Period(2026, 1))]
        )

        found = uow.readings.of_meters_in(["M1", "M2"], [SEPTEMBER, OCTOBER])
        none = uow.readings.of_meters_in([], [OCTOBER])

    assert sorted(r.id for r in found) == sorted(
        f"r-{m}-{p.code}" for m in ("M1", "M2") for p in (SEPTEMBER, OCTOBER)
    )
    assert [r.period for r in found] == sorted(r.period for r in found)
    assert none == []


# --- billing's export in pages, for the service API (F28) ---


def test_the_pending_readings_of_a_period_come_in_pages_by_id_in_code_point_order(
    uow_factory_with_meters: PortalUnitOfWorkFactory,
) -> None:
    with uow_factory_with_meters() as uow:
        uow.readings.upsert_many(
            [
                a_reading("b-night", meter_id="M2", zone=TariffZone.NIGHT),
                a_reading("B-day", meter_id="M2", zone=TariffZone.DAY),
                a_reading("a-single", meter_id="M1"),
                a_reading("A-calculated", status=EntryStatus.CALCULATED, taken_at=at(3)),
                a_reading("0-september", period=SEPTEMBER),
            ]
        )
        uow.commit()

    with uow_factory_with_meters(read_only=True) as uow:
        first = [r.id for r in uow.readings.pending_after(OCTOBER, "", 2)]
        second = [r.id for r in uow.readings.pending_after(OCTOBER, first[-1], 2)]
        past_the_end = uow.readings.pending_after(OCTOBER, "b-night", 2)
        whole = uow.readings.pending_after(OCTOBER, "", 10)

    assert first == ["B-day", "a-single"]
    assert second == ["b-night"]
    assert past_the_end == []
    assert whole[0].meter_id == "M2"
    assert whole[0].zone is TariffZone.DAY
