"""Submitting readings (F13), deleting a pending one (F14) and what billing made of them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from access_fixtures import IVANOV, Portal, a_portal
from lk_core.kernel.errors import NotFound
from lk_core.kernel.policies import Policies, ReadingPolicy
from lk_core.readings.meters import TariffZone
from lk_core.readings.reading import EntryStatus, ReadingNotPending, ReadingSource
from lk_core.readings.submission import delete_reading, readings_form, submit_readings
from readings_fixtures import (
    COLD_WATER,
    ELECTRICITY,
    FEBRUARY,
    MARCH,
    NEIGHBOURS_WATER,
    load_meters,
)

WATER_LINE = "M-HVS|single"
DAY_LINE, NIGHT_LINE = "M-EE|day", "M-EE|night"


@pytest.fixture
def portal() -> Portal:
    portal = a_portal()
    load_meters(portal.uow_factory)
    return portal


def readings_of(portal: Portal, meter_id: str) -> list[tuple[str, EntryStatus]]:
    with portal.uow_factory() as uow:
        return [(str(r.value), r.status) for r in uow.readings.of_meter(meter_id)]


def test_the_form_lists_the_services_with_meters_and_asks_to_choose_one(portal: Portal) -> None:
    form = readings_form(portal.ctx, IVANOV)

    assert [s.code for s in form.services] == ["EE", "HVS"]
    assert form.service is None
    assert form.lines == ()


def test_a_service_shows_a_line_per_meter_and_zone_with_the_previous_reading(
    portal: Portal,
) -> None:
    form = readings_form(portal.ctx, IVANOV, "EE")

    assert form.window.period == MARCH
    assert [(line.meter.serial, line.zone) for line in form.lines] == [
        ("ЭЛ-7731", TariffZone.DAY),
        ("ЭЛ-7731", TariffZone.NIGHT),
    ]
    previous = [line.previous for line in form.lines]
    assert [p.value if p else None for p in previous] == [Decimal("8000.5"), Decimal("3000.0")]
    assert all(p is not None and p.period == FEBRUARY for p in previous)


def test_a_good_value_is_accepted_and_waits_for_billing(portal: Portal) -> None:
    submission = submit_readings(portal.ctx, IVANOV, "HVS", {WATER_LINE: "133,75"})

    assert submission.accepted
    assert submission.stored == 1
    [line] = readings_form(portal.ctx, IVANOV, "HVS").lines
    assert line.current is not None
    assert (line.current.value, line.current.status) == (Decimal("133.75"), EntryStatus.ACCEPTED)
    assert line.current.source is ReadingSource.PORTAL
    assert line.current.period == MARCH
    assert line.pending == line.current


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("1234567", "Показание должно содержать не более 5 знаков до запятой"),
        ("133,7501", "Показание должно содержать не более 3 знаков после запятой"),
        ("сто", "Введите показание числом, например 123,45"),
        ("-1", "Показание не может быть отрицательным"),
        ("100", "Показание не может быть меньше предыдущего (122,500)"),
    ],
)
def test_a_bad_value_is_refused_with_its_reason_and_nothing_is_stored(
    portal: Portal, typed: str, reason: str
) -> None:
    before = readings_of(portal, COLD_WATER.id)

    submission = submit_readings(portal.ctx, IVANOV, "HVS", {WATER_LINE: typed})

    assert not submission.accepted
    assert submission.problems[WATER_LINE].startswith(reason)
    assert submission.typed == {WATER_LINE: typed}
    assert readings_of(portal, COLD_WATER.id) == before


def test_one_refused_zone_keeps_the_good_zone_from_being_stored_too(portal: Portal) -> None:
    submission = submit_readings(portal.ctx, IVANOV, "EE", {DAY_LINE: "8100,5", NIGHT_LINE: "29"})

    assert set(submission.problems) == {NIGHT_LINE}
    assert [s for _, s in readings_of(portal, ELECTRICITY.id)].count(EntryStatus.ACCEPTED) == 0


def test_an_implausibly_large_consumption_is_refused(portal: Portal) -> None:
    submission = submit_readings(portal.ctx, IVANOV, "HVS", {WATER_LINE: "400"})

    assert "Расход слишком велик" in submission.problems[WATER_LINE]


def test_empty_fields_are_skipped(portal: Portal) -> None:
    submission = submit_readings(portal.ctx, IVANOV, "EE", {DAY_LINE: "8100,5", NIGHT_LINE: " "})

    assert submission.accepted
    assert submission.stored == 1


def test_submitting_again_replaces_the_pending_value_and_the_history_keeps_it(
    portal: Portal,
) -> None:
    submit_readings(portal.ctx, IVANOV, "HVS", {WATER_LINE: "130"})
    portal.clock.advance(minutes=5)
    submission = submit_readings(portal.ctx, IVANOV, "HVS", {WATER_LINE: "131"})

    [line] = readings_form(portal.ctx, IVANOV, "HVS").lines
    assert submission.accepted
    assert line.current is not None
    assert line.current.value == 131
    assert readings_of(portal, COLD_WATER.id)[-2:] == [
        ("130", EntryStatus.REPLACED),
        ("131", EntryStatus.ACCEPTED),
    ]


def test_a_pending_reading_can_be_deleted_and_the_history_keeps_it(portal: Portal) -> None:
    submit_readings(portal.ctx, IVANOV, "HVS", {WATER_LINE: "130"})
    pending = readings_form(portal.ctx, IVANOV, "HVS").lines[0].pending
    assert pending is not None

    delete_reading(portal.ctx, IVANOV, pending.id)

    form = readings_form(portal.ctx, IVANOV, "HVS")
    assert form.lines[0].current is None
    assert readings_of(portal, COLD_WATER.id)[-1] == ("130", EntryStatus.DELETED)


def test_a_calculated_reading_cannot_be_deleted(portal: Portal) -> None:
    with pytest.raises(ReadingNotPending):
        delete_reading(portal.ctx, IVANOV, f"{COLD_WATER.id}-{FEBRUARY.code}")


def test_another_accounts_reading_is_not_found(portal: Portal) -> None:
    with pytest.raises(NotFound):
        delete_reading(portal.ctx, IVANOV, f"{NEIGHBOURS_WATER.id}-{FEBRUARY.code}")
    with pytest.raises(NotFound):
        submit_readings(portal.ctx, IVANOV, "HVS", {"M-HVS-2|single": "60"})


def test_a_period_already_calculated_takes_no_new_value(portal: Portal) -> None:
    submit_readings(portal.ctx, IVANOV, "HVS", {WATER_LINE: "130"})
    pending = readings_form(portal.ctx, IVANOV, "HVS").lines[0].pending
    assert pending is not None
    with portal.uow_factory() as uow:
        pending.mark_calculated()
        uow.readings.upsert_many([pending])
        uow.commit()

    form = readings_form(portal.ctx, IVANOV, "HVS")
    refused = submit_readings(portal.ctx, IVANOV, "HVS", {WATER_LINE: "131"})

    assert form.lines[0].is_calculated
    assert form.lines[0].pending is None
    assert "уже учтены в расчёте" in refused.problems[WATER_LINE]


def test_after_the_cutoff_day_readings_count_toward_the_next_period() -> None:
    portal = a_portal(policies=Policies(readings=ReadingPolicy(cutoff_day=1)))
    load_meters(portal.uow_factory)

    submission = submit_readings(portal.ctx, IVANOV, "HVS", {WATER_LINE: "130"})

    [line] = readings_form(portal.ctx, IVANOV, "HVS").lines
    assert submission.form.window.after_cutoff
    assert line.current is not None
    assert line.current.period == MARCH.next()
