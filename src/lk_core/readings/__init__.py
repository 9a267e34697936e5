"""Meter readings (F13–F17): the rules a reading must pass, the submission window, a
resident's submitting, replacing and withdrawing, and the history of a meter and of the
house's common meters.

Embedding: give the use cases a `ReadingsContext` whose unit-of-work factory makes
`ReadingsUnitOfWork`s — an account and house lookup, the service catalogue, and the
meter and reading repositories below; nothing else is needed (`docs/embedding.md`).

    ctx = ReadingsContext(my_factory, my_clock)
    form = readings_form(ctx, "100234")
    submit_readings(ctx, "100234", "HVS", {"M-1|single": "133,75"})

Everything in `__all__` is public: it changes only with a note in the changelog of the
release and, when incompatible, a new major version. Other modules are internal.
"""

from __future__ import annotations

from lk_core.readings.context import ReadingsContext
from lk_core.readings.errors import (
    MeterArchived,
    MeterVerificationExpired,
    ReadingAlreadyCalculated,
    ReadingConflict,
    ReadingImplausible,
    ReadingInFuture,
    ReadingLessThanPrevious,
    ReadingNegative,
    ReadingRejected,
    ReadingTooManyFractionDigits,
    ReadingTooManyIntegerDigits,
    UnknownTariffZone,
)
from lk_core.readings.history import (
    HistoryRow,
    HouseReadings,
    MeterHistory,
    house_readings,
    meter_history,
)
from lk_core.readings.meter_lines import MeterLine
from lk_core.readings.meters import DigitCapacity, Meter, MeterKind, TariffZone
from lk_core.readings.ports import (
    MeterRepository,
    MeterStore,
    ReadingRepository,
    ReadingStore,
    ReadingsUnitOfWork,
)
from lk_core.readings.reading import (
    EntryStatus,
    Reading,
    ReadingNotPending,
    ReadingSource,
    consumption_between,
    parse_reading_value,
)
from lk_core.readings.rules import check_reading
from lk_core.readings.submission import (
    ReadingsForm,
    Submission,
    delete_reading,
    readings_form,
    submit_readings,
)
from lk_core.readings.window import SubmissionWindow

__all__ = [
    "DigitCapacity",
    "EntryStatus",
    "HistoryRow",
    "HouseReadings",
    "Meter",
    "MeterArchived",
    "MeterHistory",
    "MeterKind",
    "MeterLine",
    "MeterRepository",
    "MeterStore",
    "MeterVerificationExpired",
    "Reading",
    "ReadingAlreadyCalculated",
    "ReadingConflict",
    "ReadingImplausible",
    "ReadingInFuture",
    "ReadingLessThanPrevious",
    "ReadingNegative",
    "ReadingNotPending",
    "ReadingRejected",
    "ReadingRepository",
    "ReadingSource",
    "ReadingStore",
    "ReadingTooManyFractionDigits",
    "ReadingTooManyIntegerDigits",
    "ReadingsContext",
    "ReadingsForm",
    "ReadingsUnitOfWork",
    "Submission",
    "SubmissionWindow",
    "TariffZone",
    "UnknownTariffZone",
    "check_reading",
    "consumption_between",
    "delete_reading",
    "house_readings",
    "meter_history",
    "parse_reading_value",
    "readings_form",
    "submit_readings",
]
