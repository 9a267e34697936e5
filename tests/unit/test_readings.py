"""Readings: values as typed, consumption across a rollover, and what becomes of a reading."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lk_core.kernel.errors import InvalidValue
from lk_core.kernel.periods import Period
from lk_core.readings.meters import DigitCapacity, TariffZone
from lk_core.readings.reading import (
    EntryStatus,
    Reading,
    ReadingNotPending,
    ReadingSource,
    consumption_between,
    parse_reading_value,
)


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("123,45", Decimal("123.45")),
        ("123.45", Decimal("123.45")),
        ("1 234", Decimal(1234)),
        ("1\u00a0234,5", Decimal("1234.5")),
        (" 00042 ", Decimal(42)),
        ("-5", Decimal(-5)),
        ("−5,5", Decimal("-5.5")),
    ],
)
def test_value_is_read_as_typed(typed, value):
    assert parse_reading_value(typed) == value


@pytest.mark.parametrize(
    "typed", ["", "abc", "12,3,4", "1e5", "12.", ",5", "+5", "12,5 кВт", "NaN"]
)
def test_text_that_is_not_a_number_is_refused(typed):
    with pytest.raises(InvalidValue) as refused:
        parse_reading_value(typed)
    assert refused.value.field == "value"
    assert refused.value.message_ru == "Введите показание числом, например 123,45"


@given(st.integers(0, 10**12), st.integers(0, 6))
def test_typed_value_keeps_its_exact_digits(units, places):
    value = Decimal(units).scaleb(-places)
    assert parse_reading_value(format(value, "f").replace(".", ",")) == value


def test_consumption_across_a_rollover_counts_through_zero():
    capacity = DigitCapacity(5)
    assert consumption_between(Decimal(99998), Decimal(3), capacity) == 5
    assert consumption_between(Decimal(99999), Decimal(0), capacity) == 1


def test_consumption_without_a_rollover_is_the_difference():
    capacity = DigitCapacity(6, 3)
    assert consumption_between(Decimal("12.345"), Decimal("15.000"), capacity) == Decimal("2.655")
    assert consumption_between(Decimal(7), Decimal(7), capacity) == 0


@given(st.integers(1, 9), st.integers(0, 3), st.data())
def test_consumption_is_how_far_the_counter_moved_modulo_its_range(integer_digits, places, data):
    capacity = DigitCapacity(integer_digits, places)
    steps = 10 ** (integer_digits + places)  # the counter's positions, in its smallest unit
    previous_step = data.draw(st.integers(0, steps - 1))
    moved = data.draw(st.integers(0, steps - 1))
    previous = Decimal(previous_step).scaleb(-places)
    current = Decimal((previous_step + moved) % steps).scaleb(-places)
    assert consumption_between(previous, current, capacity) == Decimal(moved).scaleb(-places)


def a_reading(source=ReadingSource.PORTAL, status=EntryStatus.ACCEPTED) -> Reading:
    return Reading(
        id="R1",
        meter_id="M1",
        zone=TariffZone.SINGLE,
        period=Period(2026, 10),
        value=Decimal(12345),
        taken_at=dt.datetime(2026, 10, 20, 9, tzinfo=dt.UTC),
        source=source,
        status=status,
    )


def test_residents_accepted_reading_is_pending_and_may_be_deleted():
    reading = a_reading()
    assert reading.is_pending
    reading.ensure_deletable()


@pytest.mark.parametrize("source", [s for s in ReadingSource if s is not ReadingSource.PORTAL])
def test_reading_from_anyone_but_the_resident_may_not_be_deleted(source):
    with pytest.raises(ReadingNotPending):
        a_reading(source=source).ensure_deletable()


def test_calculated_reading_is_no_longer_pending_and_may_not_be_deleted():
    reading = a_reading()
    reading.mark_calculated()
    assert reading.status is EntryStatus.CALCULATED
    assert not reading.is_pending
    with pytest.raises(ReadingNotPending) as refused:
        reading.ensure_deletable()
    assert refused.value.message_ru == "Показание уже обработано: удалить или изменить его нельзя"
    reading.mark_calculated()
    assert reading.status is EntryStatus.CALCULATED


def test_rejected_reading_keeps_its_reason_and_cannot_be_calculated():
    reading = a_reading()
    reading.reject("Показание не может быть меньше предыдущего (12345)")
    assert reading.status is EntryStatus.REJECTED
    assert reading.rejection_reason == "Показание не может быть меньше предыдущего (12345)"
    with pytest.raises(ReadingNotPending):
        reading.mark_calculated()


@pytest.mark.parametrize("status", [EntryStatus.CALCULATED, EntryStatus.REJECTED])
def test_only_a_pending_reading_can_be_rejected(status):
    with pytest.raises(ReadingNotPending):
        a_reading(status=status).reject("нет")


def test_statuses_and_sources_have_russian_labels():
    assert [s.label_ru for s in EntryStatus] == [
        "Принято", "Рассчитано", "Отклонено", "Заменено", "Удалено",
    ]  # fmt: skip
    assert ReadingSource.PORTAL.label_ru == "Личный кабинет"
    assert ReadingSource.AVERAGE.label_ru == "По среднему"
    assert ReadingSource.NORM.label_ru == "По нормативу"
    assert all(source.label_ru for source in ReadingSource)


@pytest.mark.parametrize("status", [EntryStatus.REPLACED, EntryStatus.DELETED])
def test_a_reading_the_resident_withdrew_cannot_be_calculated(status):
    reading = Reading(
        "R1", "M1", TariffZone.SINGLE, Period(2026, 10), Decimal(5),
        dt.datetime(2026, 10, 20, tzinfo=dt.UTC), ReadingSource.PORTAL, status,
    )  # fmt: skip
    with pytest.raises(ReadingNotPending):
        reading.mark_calculated()
    assert not status.counts


def test_only_pending_and_calculated_readings_stand_as_the_meters_value():
    assert [s for s in EntryStatus if s.counts] == [EntryStatus.ACCEPTED, EntryStatus.CALCULATED]
