"""Meters: who they belong to, their tariff zones, and when their verification runs out."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lk_core.kernel.errors import InvalidValue
from lk_core.readings.meters import DigitCapacity, Meter, MeterKind, TariffZone

Z = TariffZone


def a_meter(**changes: object) -> Meter:
    fields: dict[str, object] = {
        "id": "M1",
        "kind": MeterKind.INDIVIDUAL,
        "service_code": "EL",
        "serial": "0123456",
        "capacity": DigitCapacity(5),
        "account_key": "100234",
    }
    fields.update(changes)
    return Meter(**fields)  # type: ignore[arg-type]


def test_individual_meter_belongs_to_an_account():
    assert a_meter().account_key == "100234"
    with pytest.raises(InvalidValue) as refused:
        a_meter(account_key=None)
    assert refused.value.field == "account_number"
    assert refused.value.message_ru == "Индивидуальный прибор учёта — без лицевого счёта"
    with pytest.raises(InvalidValue):
        a_meter(account_key="")


def test_common_meter_belongs_to_a_house():
    meter = a_meter(kind=MeterKind.COMMON, account_key=None, house_code="H1")
    assert meter.house_code == "H1"
    with pytest.raises(InvalidValue) as refused:
        a_meter(kind=MeterKind.COMMON, account_key=None)
    assert refused.value.field == "house_code"
    assert refused.value.message_ru == "Общедомовой прибор учёта — без дома"


def test_meter_needs_an_id():
    with pytest.raises(InvalidValue) as refused:
        a_meter(id="")
    assert refused.value.field == "meter_id"


def test_single_rate_meter_has_the_one_zone_single():
    assert a_meter().zones == (Z.SINGLE,)


@pytest.mark.parametrize(
    "zones", [(Z.DAY, Z.NIGHT), (Z.DAY, Z.NIGHT, Z.PEAK), (Z.PEAK, Z.HALF_PEAK, Z.NIGHT), (Z.DAY,)]
)
def test_meter_has_one_to_three_distinct_zones(zones):
    assert a_meter(zones=zones).zones == zones


@pytest.mark.parametrize(
    ("zones", "message"),
    [
        ((), "У прибора учёта от 1 до 3 разных тарифных зон"),
        ((Z.DAY, Z.NIGHT, Z.PEAK, Z.HALF_PEAK), "У прибора учёта от 1 до 3 разных тарифных зон"),
        ((Z.DAY, Z.DAY), "У прибора учёта от 1 до 3 разных тарифных зон"),
        ((Z.SINGLE, Z.DAY), "Единый тариф не сочетается с другими зонами"),
    ],
)
def test_meter_with_no_too_many_repeated_or_mixed_single_zones_is_refused(zones, message):
    with pytest.raises(InvalidValue) as refused:
        a_meter(zones=zones)
    assert refused.value.field == "zones"
    assert refused.value.message_ru == message


@given(st.lists(st.sampled_from(TariffZone), max_size=5).map(tuple))
def test_meter_accepts_exactly_one_to_three_distinct_zones_with_single_only_alone(zones):
    allowed = (
        1 <= len(zones) <= 3
        and len(set(zones)) == len(zones)
        and (Z.SINGLE not in zones or zones == (Z.SINGLE,))
    )
    if allowed:
        assert a_meter(zones=zones).zones == zones
    else:
        with pytest.raises(InvalidValue):
            a_meter(zones=zones)


def test_verification_expires_the_day_after_its_due_date():
    due = dt.date(2026, 10, 15)
    meter = a_meter(next_verification_on=due)
    assert not meter.verification_expired(due - dt.timedelta(days=1))
    assert not meter.verification_expired(due)
    assert meter.verification_expired(due + dt.timedelta(days=1))


def test_meter_without_a_verification_date_never_expires():
    assert not a_meter().verification_expired(dt.date(2100, 1, 1))


def test_zones_have_russian_labels():
    assert [zone.label_ru for zone in TariffZone] == [
        "Единый тариф",
        "День",
        "Ночь",
        "Пик",
        "Полупик",
    ]
