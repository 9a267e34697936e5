"""What each account used of each service, month by month: from readings or by norm."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

import attrs

from lk_adapters.demo.catalogue import NORMS, heating_by_norm
from lk_adapters.demo.flats import DemoAccount
from lk_adapters.demo.meters import DemoReading
from lk_core.kernel.periods import Period
from lk_core.readings.meters import TariffZone

ZoneVolumes = dict[TariffZone, Decimal]
SINGLE = TariffZone.SINGLE


@attrs.frozen
class VolumeBook:
    """Volumes per (account key, service) and period, split by tariff zone."""

    volumes: dict[tuple[str, str], dict[Period, ZoneVolumes]]
    metered: frozenset[tuple[str, str]]

    def of(self, account_key: str, service: str, period: Period) -> ZoneVolumes:
        return self.volumes.get((account_key, service), {}).get(period, {})

    def house_use(
        self, accounts: Sequence[DemoAccount]
    ) -> dict[tuple[str, str], dict[Period, Decimal]]:
        """What the flats of each house used, per service and period (for its ОДПУ)."""
        use: dict[tuple[str, str], dict[Period, Decimal]] = defaultdict(
            lambda: defaultdict(Decimal)
        )
        for account in accounts:
            for service in ("HVS", "GVS", "OTP", "EE"):
                by_period = self.volumes.get((account.key, service), {})
                for period, zones in by_period.items():
                    use[(account.house.code, service)][period] += sum(zones.values(), Decimal(0))
        return {key: dict(value) for key, value in use.items()}


def _metered(readings: Sequence[DemoReading]) -> dict[tuple[str, str], dict[Period, ZoneVolumes]]:
    """Use per period = this period's reading − the previous period's, of the same meter."""
    by_meter: dict[tuple[str, TariffZone], dict[Period, DemoReading]] = defaultdict(dict)
    for reading in readings:
        by_meter[(reading.meter.id, reading.zone)][reading.period] = reading
    volumes: dict[tuple[str, str], dict[Period, ZoneVolumes]] = defaultdict(
        lambda: defaultdict(dict)
    )
    for (_meter_id, zone), series in by_meter.items():
        for period, reading in series.items():
            before = series.get(period.previous())
            account = reading.meter.account
            if before is None or account is None:
                continue
            zones = volumes[(account.key, reading.meter.service)][period]
            zones[zone] = zones.get(zone, Decimal(0)) + reading.value - before.value
    return volumes


def _average(history: list[ZoneVolumes]) -> ZoneVolumes:
    recent = history[-3:]
    zones = {zone for month in recent for zone in month}
    average: ZoneVolumes = {}
    for zone in sorted(zones, key=lambda z: z.value):
        values = [month.get(zone, Decimal(0)) for month in recent]
        exponent = min(v.as_tuple().exponent for v in values)
        assert isinstance(exponent, int)
        average[zone] = (sum(values, Decimal(0)) / len(values)).quantize(
            Decimal(1).scaleb(exponent)
        )
    return average


def build_volumes(
    accounts: Sequence[DemoAccount],
    readings: Sequence[DemoReading],
    history: Sequence[Period],
    current: Period,
) -> VolumeBook:
    """Volumes for the history from readings (or norms), and for the current month by
    average: its readings are not in yet."""
    metered = _metered(readings)
    volumes: dict[tuple[str, str], dict[Period, ZoneVolumes]] = {}
    for account in accounts:
        residents = Decimal(account.residents)
        for service in ("HVS", "GVS", "EE", "OTP"):
            measured = metered.get((account.key, service))
            series: dict[Period, ZoneVolumes] = {}
            for period in history:
                if measured is not None:
                    series[period] = dict(measured.get(period, {SINGLE: Decimal(0)}))
                elif service == "OTP":
                    series[period] = {SINGLE: heating_by_norm(account.area, period)}
                else:
                    series[period] = {SINGLE: NORMS[service] * residents}
            if service == "OTP" or measured is None:
                series[current] = (
                    {SINGLE: heating_by_norm(account.area, current)}
                    if service == "OTP"
                    else {SINGLE: NORMS[service] * residents}
                )
            else:
                series[current] = _average([series[p] for p in history])
            volumes[(account.key, service)] = series
        volumes[(account.key, "VOD")] = {
            period: {
                SINGLE: sum(volumes[(account.key, "HVS")][period].values(), Decimal(0))
                + sum(volumes[(account.key, "GVS")][period].values(), Decimal(0))
            }
            for period in [*history, current]
        }
    return VolumeBook(volumes, frozenset(metered))
