"""Writing the demo company as billing files, in the formats of docs/formats.md.

Headers are the Russian ones billing systems print; numbers have a decimal comma, dates
are ДД.ММ.ГГГГ, periods ММ.ГГГГ, and the files are UTF-8 with a BOM as spreadsheet
programs save them.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from lk_adapters.demo.catalogue import HOUSES, KOPECK, SERVICES
from lk_adapters.demo.flats import DemoAccount
from lk_adapters.demo.ledger import DemoPayment, LedgerEntry
from lk_adapters.demo.meters import DemoMeter, DemoReading
from lk_core.billing_import.kinds import FileKind
from lk_core.kernel.periods import Period
from lk_core.readings.meters import MeterKind, TariffZone
from lk_core.readings.reading import EntryStatus

ENCODING = "utf-8-sig"
COMMON_AREA_SHARE = Decimal("1.23")  # stairs, halls and basements on top of the flats

Row = dict[str, str]


def rubles(kopecks: int) -> str:
    sign = "-" if kopecks < 0 else ""
    whole, part = divmod(abs(kopecks), 100)
    return f"{sign}{whole},{part:02d}"


def number(value: Decimal | None) -> str:
    return "" if value is None else format(value, "f").replace(".", ",")


def day(value: dt.date | None) -> str:
    return "" if value is None else value.strftime("%d.%m.%Y")


def month(period: Period) -> str:
    return f"{period.month:02d}.{period.year}"


def zone_label(zone: TariffZone) -> str:
    return "" if zone is TariffZone.SINGLE else zone.label_ru


def write_kind(folder: Path, kind: FileKind, rows: Iterable[Row]) -> Path:
    """One file of a kind, every column of the kind in its documented order."""
    path = folder / f"{kind.value}.csv"
    columns = kind.columns
    with path.open("w", encoding=ENCODING, newline="") as file:
        writer = csv.writer(file, delimiter=";", lineterminator="\r\n")
        writer.writerow([column.header_ru for column in columns])
        for row in rows:
            writer.writerow([row.get(column.name, "") for column in columns])
    return path


def house_rows(accounts: Sequence[DemoAccount]) -> list[Row]:
    rows = []
    for house in HOUSES:
        flats = sum((a.area for a in accounts if a.house.code == house.code), Decimal(0))
        total = (flats * COMMON_AREA_SHARE).quantize(KOPECK, ROUND_HALF_UP)
        rows.append({"house": house.code, "address": house.address, "total_area": number(total)})
    return rows


def service_rows() -> list[Row]:
    return [
        {"service": s.code, "name": s.name, "unit": s.unit, "provider": s.provider}
        for s in SERVICES
    ]


def account_rows(accounts: Sequence[DemoAccount]) -> list[Row]:
    return [
        {
            "account": a.printed,
            "house": a.house.code,
            "payer": str(a.payer),
            "flat": a.flat,
            "rooms": str(a.rooms),
            "area": number(a.area),
            "residents": str(a.residents),
            "phone": a.phone,
            "email": a.email,
        }
        for a in accounts
    ]


def meter_rows(meters: Sequence[DemoMeter]) -> list[Row]:
    return [
        {
            "meter": m.id,
            "kind": "ИПУ" if m.kind is MeterKind.INDIVIDUAL else "ОДПУ",
            "service": m.service,
            "serial": m.serial,
            "integer_digits": str(m.integer_digits),
            "fraction_digits": str(m.fraction_digits),
            "zones": ",".join(zone_label(z) for z in m.zones),
            "account": m.account.printed if m.account else "",
            "house": m.house_code or "",
            "installed_on": day(m.installed_on),
            "next_verification_on": day(m.next_verification_on),
            "archived": "да" if m.archived else "нет",
        }
        for m in meters
    ]


def ledger_rows(entries: Iterable[LedgerEntry]) -> Iterable[Row]:
    for e in entries:
        yield {
            "account": e.account.printed,
            "period": month(e.period),
            "service": e.service,
            "opening": rubles(e.opening),
            "charged": rubles(e.charged),
            "recalculation": rubles(e.recalculation),
            "paid": rubles(e.paid),
            "closing": rubles(e.closing),
            "volume": number(e.volume),
            "tariff": number(e.tariff),
            "recalculation_reason": e.reason,
        }


def payment_rows(payments: Iterable[DemoPayment]) -> Iterable[Row]:
    for p in payments:
        yield {
            "payment": p.id,
            "account": p.account.printed,
            "date": day(p.paid_on),
            "amount": rubles(p.amount),
            "payer": p.payer,
        }


def reading_rows(readings: Iterable[DemoReading]) -> Iterable[Row]:
    for r in readings:
        yield {
            "reading": r.id,
            "meter": r.meter.id,
            "zone": zone_label(r.zone),
            "period": month(r.period),
            "value": number(r.value),
            "taken_at": r.taken_at.strftime("%d.%m.%Y %H:%M"),
            "source": r.source.label_ru,
            "status": EntryStatus.CALCULATED.label_ru,
        }
