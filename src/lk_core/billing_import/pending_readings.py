"""One pending reading per meter, zone and period (ADR 0016), in a `readings` file too.

A reading with status «Принято» waits for billing. The database admits one such reading
per meter, zone and period; a file that brings a second one, on another line or beside
one stored already, is refused at that line instead of failing at the database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from lk_core.billing_import.ports import BillingImportUnitOfWork
from lk_core.kernel.periods import Period
from lk_core.readings.meters import TariffZone
from lk_core.readings.reading import Reading

Slot = tuple[str, TariffZone, Period]


def _slot(reading: Reading) -> Slot:
    return (reading.meter_id, reading.zone, reading.period)


def _clash(reading: Reading, other: str, where: str) -> str:
    zone = "" if reading.zone is TariffZone.SINGLE else f", зона «{reading.zone.label_ru}»"
    return (
        f"у прибора учёта {reading.meter_id}{zone} за {reading.period} уже есть принятое "
        f"показание {other} ({where}): принятое может быть только одно"
    )


class PendingReadings:
    """The pending readings of a file so far, by meter, zone and period, with their lines."""

    def __init__(self) -> None:
        self._lines: dict[Slot, tuple[int, str]] = {}

    def clashes(
        self,
        uow: BillingImportUnitOfWork,
        rows: Iterable[tuple[int, Reading]],
        named_in_file: Callable[[str], bool],
    ) -> list[tuple[int, str]]:
        """The lines among `rows` that would leave a second pending reading, and why. A
        stored pending reading that the file has named by then is that line's to decide."""
        pending = [(line, r) for line, r in rows if r.is_pending]
        if not pending:
            return []
        stored = {
            _slot(r): r.id
            for r in uow.readings.of_meters_in(
                sorted({r.meter_id for _, r in pending}), sorted({r.period for _, r in pending})
            )
            if r.is_pending and not named_in_file(r.id)
        }
        found: list[tuple[int, str]] = []
        for line, reading in pending:
            slot = _slot(reading)
            earlier = self._lines.get(slot)
            if earlier is not None and earlier[1] != reading.id:
                found.append((line, _clash(reading, earlier[1], f"строка {earlier[0]}")))
            elif slot in stored and stored[slot] != reading.id:
                found.append((line, _clash(reading, stored[slot], "загружено раньше")))
            else:
                self._lines.setdefault(slot, (line, reading.id))
        return found
