"""Demo meters and their monthly readings, individual (ИПУ) and common-house (ОДПУ).

Readings are generated first; the ledger's volumes are then taken from the differences
between consecutive readings, so the two always agree.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

import attrs

from lk_adapters.demo.catalogue import HEATING_SEASON, HOUSES
from lk_adapters.demo.flats import DemoAccount
from lk_core.kernel.periods import Period
from lk_core.readings.meters import MeterKind, TariffZone
from lk_core.readings.reading import ReadingSource

SINGLE = (TariffZone.SINGLE,)
DAY_NIGHT = (TariffZone.DAY, TariffZone.NIGHT)

# Verification intervals (межповерочный интервал) typical of the meter types, in years.
VERIFICATION_YEARS = {"HVS": 6, "GVS": 6, "EE": 16, "OTP": 6}
# Mean monthly use per resident (water, m³) or per flat and resident (electricity, kWh).
WATER_PER_RESIDENT = {"HVS": Decimal("3.1"), "GVS": Decimal("2.0")}
ELECTRICITY_BASE, ELECTRICITY_PER_RESIDENT = Decimal(60), Decimal(45)
HEAT_PER_M2 = Decimal("0.0195")


@attrs.frozen
class DemoMeter:
    """A meter as the billing system lists it."""

    id: str
    kind: MeterKind
    service: str
    serial: str
    integer_digits: int
    fraction_digits: int
    zones: tuple[TariffZone, ...]
    account: DemoAccount | None
    house_code: str | None
    installed_on: dt.date
    next_verification_on: dt.date | None
    archived: bool = False


@attrs.frozen
class DemoReading:
    """One value of one zone of a meter for a period, with when and how it was taken."""

    meter: DemoMeter
    zone: TariffZone
    period: Period
    value: Decimal
    taken_at: dt.datetime  # local time of the company
    source: ReadingSource

    @property
    def id(self) -> str:
        zone = "" if self.zone is TariffZone.SINGLE else f"-{self.zone.value}"
        return f"{self.meter.id}-{self.period.code}{zone}"


def _day(period: Period, day: int) -> dt.date:
    return dt.date(period.year, period.month, day)


def _taken_at(rng: random.Random, period: Period, source: ReadingSource) -> dt.datetime:
    if source is ReadingSource.PORTAL:
        day, hour = rng.randint(15, 25), rng.randint(7, 22)
    elif source is ReadingSource.AVERAGE:
        day, hour = 26, 3  # the billing run fills in missing readings overnight
    else:
        day, hour = rng.randint(20, 25), rng.randint(9, 16)
    return dt.datetime.combine(_day(period, day), dt.time(hour, rng.randrange(0, 60, 5)))


def _scatter(rng: random.Random, mean: Decimal, places: int) -> Decimal:
    """A month's use: the mean, give or take a quarter."""
    factor = Decimal(rng.randint(75, 125)) / 100
    return (mean * factor).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


@attrs.define
class _SeriesPlan:
    meter: DemoMeter
    zone: TariffZone
    mean: Decimal
    seasonal: bool = False
    periods: Sequence[Period] = ()
    start: Decimal = Decimal(0)
    forced_average: frozenset[Period] = frozenset()
    fixed_sources: dict[Period, ReadingSource] = attrs.Factory(dict)
    fixed_taken: dict[Period, dt.datetime] = attrs.Factory(dict)


def _series(rng: random.Random, plan: _SeriesPlan) -> list[DemoReading]:
    """Readings of one zone: each month adds that month's use to the previous value."""
    places = plan.meter.fraction_digits
    readings: list[DemoReading] = []
    used: list[Decimal] = []
    value = plan.start
    for index, period in enumerate(plan.periods):
        source = (
            plan.fixed_sources.get(period)
            or rng.choices(
                (ReadingSource.PORTAL, ReadingSource.OPERATOR, ReadingSource.AVERAGE),
                weights=(72, 14, 14),
            )[0]
        )
        if period in plan.forced_average:
            source = ReadingSource.AVERAGE
        if index and source is ReadingSource.AVERAGE and used:
            recent = used[-3:]
            use = (sum(recent, Decimal(0)) / len(recent)).quantize(Decimal(1).scaleb(-places))
        elif index:
            mean = (
                plan.mean * HEATING_SEASON.get(period.month, Decimal(0))
                if plan.seasonal
                else plan.mean
            )
            use = _scatter(rng, mean, places)
        else:
            use = Decimal(0)
            source = ReadingSource.PORTAL if source is ReadingSource.AVERAGE else source
        if index:
            used.append(use)
        value += use
        taken = plan.fixed_taken.get(period) or _taken_at(rng, period, source)
        readings.append(DemoReading(plan.meter, plan.zone, period, value, taken, source))
    return readings


def _years_after(day: dt.date, years: int) -> dt.date:
    """The same day `years` later (or earlier, if negative); 29 February becomes the 28th in
    a common year, as a term counted in years ends (Civil Code, art. 192)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _installed(rng: random.Random, before: Period, years: int, today: dt.date) -> dt.date:
    """An installation date before the history, with verification still ahead of today."""
    latest = before.first_day() - dt.timedelta(days=30)
    earliest = _years_after(today, -years) + dt.timedelta(days=60)
    span = max((latest - earliest).days, 1)
    return earliest + dt.timedelta(days=rng.randrange(span))


def _meter(
    rng: random.Random,
    account: DemoAccount,
    service: str,
    number: int,
    reading_periods: Sequence[Period],
    today: dt.date,
    zones: tuple[TariffZone, ...] = SINGLE,
) -> DemoMeter:
    installed = _installed(rng, reading_periods[0], VERIFICATION_YEARS[service], today)
    digits = (6, 1) if service == "EE" else (5, 3)
    return DemoMeter(
        id=f"{account.key}-{service}-{number}",
        kind=MeterKind.INDIVIDUAL,
        service=service,
        serial=f"{installed.year % 100:02d}{rng.randint(0, 999_999):06d}",
        integer_digits=digits[0],
        fraction_digits=digits[1],
        zones=zones,
        account=account,
        house_code=None,
        installed_on=installed,
        next_verification_on=_years_after(installed, VERIFICATION_YEARS[service]),
    )


def _plans_of(
    rng: random.Random, account: DemoAccount, periods: Sequence[Period], today: dt.date
) -> list[_SeriesPlan]:
    plans: list[_SeriesPlan] = []
    risers = 2 if rng.random() < 0.15 else 1  # kitchen and bathroom on separate risers
    for service in ("HVS", "GVS"):
        # An empty flat still draws a little water (leaks, the owner's visits).
        people = Decimal(account.residents) if account.residents else Decimal("0.1")
        per_meter = WATER_PER_RESIDENT[service] * people / risers
        for number in range(1, risers + 1):
            meter = _meter(rng, account, service, number, periods, today)
            start = Decimal(rng.randint(50_000, 1_500_000)).scaleb(-3)
            plans.append(_SeriesPlan(meter, TariffZone.SINGLE, per_meter, start=start))
    two_zone = rng.random() < 0.7
    zones = DAY_NIGHT if two_zone else SINGLE
    electricity = _meter(rng, account, "EE", 1, periods, today, zones)
    total = ELECTRICITY_BASE + ELECTRICITY_PER_RESIDENT * account.residents
    night_share = Decimal(rng.randint(25, 35)) / 100 if two_zone else Decimal(0)
    for zone in zones:
        share = night_share if zone is TariffZone.NIGHT else 1 - night_share
        start = Decimal(rng.randint(20_000, 300_000)).scaleb(-1)
        plans.append(_SeriesPlan(electricity, zone, total * share, start=start))
    if account.house.heat_meters:
        heat = _meter(rng, account, "OTP", 1, periods, today)
        start = Decimal(rng.randint(1_000, 60_000)).scaleb(-3)
        plans.append(
            _SeriesPlan(heat, TariffZone.SINGLE, account.area * HEAT_PER_M2, True, start=start)
        )
    for plan in plans:
        plan.periods = periods
    return plans


def _installed_before(meter: DemoMeter, expires: dt.date) -> DemoMeter:
    """The meter as installed one verification interval before `expires`."""
    installed = _years_after(expires, -VERIFICATION_YEARS[meter.service])
    # Serial numbers begin with the year of manufacture.
    serial = f"{installed.year % 100:02d}{meter.serial[2:]}"
    return attrs.evolve(meter, installed_on=installed, serial=serial, next_verification_on=expires)


def _replace_meter(rng: random.Random, plan: _SeriesPlan, when: Period) -> _SeriesPlan:
    """Retire a meter whose verification ran out and put a new one in its place."""
    periods = list(plan.periods)
    cut = periods.index(when) + 1
    swap_day = _day(when, 20)
    old = attrs.evolve(_installed_before(plan.meter, _day(when, 4)), archived=True)
    plan.meter, plan.periods = old, periods[:cut]
    plan.fixed_sources[when] = ReadingSource.OPERATOR
    plan.fixed_taken[when] = dt.datetime.combine(swap_day, dt.time(12, 0))
    new = attrs.evolve(
        old,
        id=old.id[:-1] + "2",
        serial=f"{swap_day.year % 100:02d}{rng.randint(0, 999_999):06d}",
        installed_on=swap_day,
        next_verification_on=_years_after(swap_day, VERIFICATION_YEARS[old.service]),
        archived=False,
    )
    return _SeriesPlan(
        new,
        plan.zone,
        plan.mean,
        periods=periods[cut - 1 :],
        fixed_sources={when: ReadingSource.OPERATOR},
        fixed_taken={when: dt.datetime.combine(swap_day, dt.time(12, 30))},
    )


def _expire_verification(plan: _SeriesPlan, last: Period) -> None:
    """The verification date passed last month: billing no longer trusts the meter."""
    plan.meter = _installed_before(plan.meter, _day(last, 5))
    plan.forced_average = frozenset({last})


def make_individual_meters(
    rng: random.Random, accounts: Sequence[DemoAccount], periods: Sequence[Period], today: dt.date
) -> tuple[list[DemoMeter], list[DemoReading]]:
    """Meters of every flat with meters, and their readings over `periods`."""
    plans: list[_SeriesPlan] = []
    for account in accounts:
        if account.has_meters:
            plans.extend(_plans_of(rng, account, periods, today))
    single_cold = [
        p for p in plans
        if p.meter.service == "HVS" and p.meter.id.endswith("-1")
        and not any(q.meter.id == p.meter.id[:-1] + "2" for q in plans)
    ]  # fmt: skip
    replaced = single_cold[len(single_cold) // 3]
    plans.append(_replace_meter(rng, replaced, periods[len(periods) // 2]))
    hot = [p for p in plans if p.meter.service == "GVS"]
    for plan in (hot[len(hot) // 5], hot[len(hot) * 4 // 5]):
        _expire_verification(plan, periods[-1])
    readings = [reading for plan in plans for reading in _series(rng, plan)]
    meters = list({plan.meter.id: plan.meter for plan in plans}.values())
    return meters, readings


def make_common_meters(
    rng: random.Random,
    house_use: dict[tuple[str, str], dict[Period, Decimal]],
    periods: Sequence[Period],
) -> tuple[list[DemoMeter], list[DemoReading]]:
    """ОДПУ of every house: what its flats used plus the common part and losses."""
    meters: list[DemoMeter] = []
    readings: list[DemoReading] = []
    digits = {"HVS": (7, 2), "GVS": (7, 2), "OTP": (6, 3), "EE": (7, 1)}
    for house in HOUSES:
        for service, (integer_digits, fraction_digits) in digits.items():
            installed = dt.date(2014 + int(house.code) % 4, 9, rng.randint(1, 28))
            meter = DemoMeter(
                id=f"{house.code}-ODPU-{service}",
                kind=MeterKind.COMMON,
                service=service,
                serial=f"{rng.randint(10_000_000, 99_999_999)}",
                integer_digits=integer_digits,
                fraction_digits=fraction_digits,
                zones=SINGLE,
                account=None,
                house_code=house.code,
                installed_on=installed,
                next_verification_on=dt.date(periods[-1].year + 2, 9, 1),
            )
            meters.append(meter)
            quantum = Decimal(1).scaleb(-fraction_digits)
            value = Decimal(rng.randint(10_000, 90_000)).quantize(quantum)
            use = house_use.get((house.code, service), {})
            for period in periods:
                losses = Decimal(rng.randint(104, 112)) / 100
                value += (use.get(period, Decimal(0)) * losses).quantize(quantum, ROUND_HALF_UP)
                taken = dt.datetime.combine(_day(period, rng.randint(23, 25)), dt.time(10, 0))
                readings.append(
                    DemoReading(
                        meter, TariffZone.SINGLE, period, value, taken, ReadingSource.INSPECTOR
                    )
                )
    return meters, readings
