"""The demo company's houses and services, with tariffs as a Tver company would bill them."""

from __future__ import annotations

import enum
from decimal import ROUND_HALF_UP, Decimal

import attrs

from lk_core.kernel.periods import Period

CITY = "г. Тверь"
KOPECK = Decimal("0.01")


@attrs.frozen
class DemoHouse:
    """A building and how its flats are laid out."""

    code: str
    street: str
    number: str
    floors: int
    flats_per_floor: int
    heat_meters: bool  # houses with horizontal heating have a heat meter in every flat

    @property
    def address(self) -> str:
        return f"{CITY}, {self.street}, д. {self.number}"

    @property
    def flats(self) -> int:
        return self.floors * self.flats_per_floor


HOUSES = (
    DemoHouse("101", "ул. Советская", "12", 5, 12, heat_meters=False),
    DemoHouse("102", "пр-т Чайковского", "27, корп. 1", 10, 10, heat_meters=True),
    DemoHouse("103", "ул. Склизкова", "48", 9, 8, heat_meters=False),
    DemoHouse("104", "Смоленский пер.", "5", 4, 16, heat_meters=False),
)


class Charging(enum.Enum):
    """What a service's volume is measured in for a flat."""

    AREA = "area"
    METERED = "metered"
    RESIDENTS = "residents"
    HEATING = "heating"


@attrs.frozen
class DemoService:
    """A billed service with its tariff in the current period."""

    code: str
    name: str
    unit: str
    provider: str
    tariff: Decimal
    charging: Charging
    night_tariff: Decimal | None = None


UK = "ООО «УК Тверской дом»"
WATER = "ООО «Водоканал-Тверь»"
HEAT = "ООО «Тверская теплосетевая компания»"

SERVICES = (
    DemoService("SOD", "Содержание и ремонт МКД", "м²", UK, Decimal("28.45"), Charging.AREA),
    DemoService("HVS", "Холодное водоснабжение", "м³", WATER, Decimal("44.71"), Charging.METERED),
    DemoService("GVS", "Горячее водоснабжение", "м³", HEAT, Decimal("238.60"), Charging.METERED),
    DemoService("VOD", "Водоотведение", "м³", WATER, Decimal("38.05"), Charging.METERED),
    DemoService(
        "EE",
        "Электроэнергия",
        "кВт·ч",
        "АО «ТверьЭнергоСбыт»",
        Decimal("6.58"),
        Charging.METERED,
        night_tariff=Decimal("3.71"),
    ),
    DemoService("OTP", "Отопление", "Гкал", HEAT, Decimal("2989.43"), Charging.HEATING),
    DemoService(
        "TKO",
        "Обращение с ТКО",
        "чел.",
        "ООО «Региональный оператор ТКО»",
        Decimal("142.12"),
        Charging.RESIDENTS,
    ),
    DemoService(
        "KAP",
        "Взнос на капитальный ремонт",
        "м²",
        "Фонд капитального ремонта МКД Тверской области",
        Decimal("11.36"),
        Charging.AREA,
    ),
)

SERVICE_BY_CODE = {service.code: service for service in SERVICES}

# Single-rate electricity in flats whose meter has one zone.
SINGLE_RATE_ELECTRICITY = Decimal("5.97")

# Utility tariffs are indexed on 1 July each year (Government decree on the indexation
# of utility payments); the demo's are about 10 % lower for each July passed.
INDEXATION = Decimal("1.10")
HEAT_NORM_PER_M2 = Decimal("0.0213")  # Гкал per m² per heating month


def tariff_in(tariff: Decimal, period: Period, current: Period) -> Decimal:
    """The tariff that applied in an earlier period, given the current one."""
    julys = sum(
        1 for year in range(period.year, current.year + 1) if period < Period(year, 7) <= current
    )
    return (tariff / INDEXATION**julys).quantize(KOPECK, ROUND_HALF_UP)


def charge(tariff: Decimal, volume: Decimal) -> int:
    """Tariff × volume rounded to the kopeck, in kopecks."""
    return int((tariff * volume).quantize(KOPECK, ROUND_HALF_UP) * 100)


# Consumption norms of the region for flats without meters, per resident a month.
NORMS = {"HVS": Decimal("3.47"), "GVS": Decimal("2.47"), "EE": Decimal("92")}
# How much colder months draw on heat, relative to an average heating month.
HEATING_SEASON = {
    10: Decimal("0.6"), 11: Decimal("1.0"), 12: Decimal("1.25"), 1: Decimal("1.35"),
    2: Decimal("1.2"), 3: Decimal("1.0"), 4: Decimal("0.6"),
}  # fmt: skip
HEATING_MONTHS = frozenset(HEATING_SEASON)


def heating_by_norm(area: Decimal, period: Period) -> Decimal:
    """Heat for a flat without a heat meter: area × norm, in heating months only."""
    if period.month not in HEATING_MONTHS:
        return Decimal("0.000")
    return (area * HEAT_NORM_PER_M2).quantize(Decimal("0.0001"), ROUND_HALF_UP)
