"""Readings for the billing system, written in the format of the `readings` import file.

The export is the import format read backwards (docs/formats.md, «Meter readings»), so
billing can send the same file back with «Статус» and «Причина отказа» filled in.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterable
from typing import TextIO

from lk_core.billing_import.kinds import FileKind
from lk_core.readings.meters import TariffZone
from lk_core.readings.reading import Reading


def reading_fields(reading: Reading, tz: dt.tzinfo) -> list[str]:
    """One reading as the fields of a `readings` row, in the kind's column order."""
    by_name = {
        "reading": reading.id,
        "meter": reading.meter_id,
        "zone": "" if reading.zone is TariffZone.SINGLE else reading.zone.label_ru,
        "period": reading.period.qr_form,
        "value": format(reading.value, "f").replace(".", ","),
        "taken_at": reading.taken_at.astimezone(tz).strftime("%d.%m.%Y %H:%M"),
        "source": reading.source.label_ru,
        "status": reading.status.label_ru,
        "reason": reading.rejection_reason,
    }
    return [by_name[column.name] for column in FileKind.READINGS.columns]


def write_readings(
    file: TextIO,
    readings: Iterable[Reading],
    tz: dt.tzinfo,
    on_row: Callable[[int], None] = lambda _count: None,
) -> int:
    """Write the header and a row per reading as they come; returns the number of rows."""
    writer = csv.writer(file, delimiter=";", lineterminator="\r\n")
    writer.writerow([column.header_ru for column in FileKind.READINGS.columns])
    count = 0
    for reading in readings:
        writer.writerow(reading_fields(reading, tz))
        count += 1
        if count % 1000 == 0:
            on_row(count)
    on_row(count)
    return count
