"""Meters (приборы учёта): individual ones of a flat, common-house ones of a building."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

import attrs

from lk_core.kernel.errors import InvalidValue


class MeterKind(enum.Enum):
    INDIVIDUAL = "individual"  # ИПУ
    COMMON = "common"  # ОДПУ


class TariffZone(enum.Enum):
    """A tariff zone of a counter; single-rate meters have the one zone `SINGLE`."""

    SINGLE = "single"
    DAY = "day"
    NIGHT = "night"
    PEAK = "peak"
    HALF_PEAK = "half_peak"

    @property
    def label_ru(self) -> str:
        return _ZONE_LABELS[self]


_ZONE_LABELS = {
    TariffZone.SINGLE: "Единый тариф",
    TariffZone.DAY: "День",
    TariffZone.NIGHT: "Ночь",
    TariffZone.PEAK: "Пик",
    TariffZone.HALF_PEAK: "Полупик",
}


@attrs.frozen
class DigitCapacity:
    """How many integer and fraction digits the counter shows (значность)."""

    integer_digits: int
    fraction_digits: int = 0

    def __attrs_post_init__(self) -> None:
        if not 1 <= self.integer_digits <= 12:
            raise InvalidValue(
                "integer_digits", self.integer_digits, "Разрядность счётчика: от 1 до 12 знаков"
            )
        if not 0 <= self.fraction_digits <= 6:
            raise InvalidValue(
                "fraction_digits", self.fraction_digits, "Знаков после запятой: от 0 до 6"
            )

    @property
    def rollover(self) -> Decimal:
        """The value at which the counter wraps back to zero: 10^N."""
        return Decimal(10) ** self.integer_digits

    def integer_fits(self, value: Decimal) -> bool:
        return value < self.rollover

    def fraction_fits(self, value: Decimal) -> bool:
        return fraction_digits_of(value) <= self.fraction_digits

    def fits(self, value: Decimal) -> bool:
        return value >= 0 and self.integer_fits(value) and self.fraction_fits(value)


def fraction_digits_of(value: Decimal) -> int:
    """Significant fraction digits: `12,30` has one, `12` and `1E+2` none."""
    _sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int), "readings are finite numbers"
    places = max(0, -exponent)
    if places == 0:
        return 0
    fraction = "".join(map(str, digits)).rjust(places, "0")[-places:]
    return len(fraction.rstrip("0"))


def _zones_are_valid(_: object, __: object, zones: tuple[TariffZone, ...]) -> None:
    if not 1 <= len(zones) <= 3 or len(set(zones)) != len(zones):
        raise InvalidValue("zones", zones, "У прибора учёта от 1 до 3 разных тарифных зон")
    if TariffZone.SINGLE in zones and len(zones) > 1:
        raise InvalidValue("zones", zones, "Единый тариф не сочетается с другими зонами")


@attrs.frozen
class Meter:
    """A meter of one service; individual meters belong to an account, common ones to a house."""

    id: str
    kind: MeterKind
    service_code: str
    serial: str
    capacity: DigitCapacity
    zones: tuple[TariffZone, ...] = attrs.field(
        default=(TariffZone.SINGLE,), validator=_zones_are_valid
    )
    account_key: str | None = None
    house_code: str | None = None
    installed_on: dt.date | None = None
    next_verification_on: dt.date | None = None
    archived: bool = False

    def __attrs_post_init__(self) -> None:
        if not self.id:
            raise InvalidValue("meter_id", self.id, "Не указан код прибора учёта")
        if self.kind is MeterKind.INDIVIDUAL and not self.account_key:
            raise InvalidValue(
                "account_number", None, "Индивидуальный прибор учёта — без лицевого счёта"
            )
        if self.kind is MeterKind.COMMON and not self.house_code:
            raise InvalidValue("house_code", None, "Общедомовой прибор учёта — без дома")

    def verification_expired(self, on: dt.date) -> bool:
        return self.next_verification_on is not None and self.next_verification_on < on
