"""Meter readings (показания): what was read, by whom, and what became of it."""

from __future__ import annotations

import datetime as dt
import enum
import re
from decimal import Decimal, InvalidOperation

import attrs

from lk_core.kernel.errors import DomainError, InvalidValue
from lk_core.kernel.periods import Period
from lk_core.readings.meters import DigitCapacity, TariffZone


class ReadingSource(enum.Enum):
    """Where a reading came from (статус показания)."""

    PORTAL = "portal"
    OPERATOR = "operator"
    INSPECTOR = "inspector"
    AVERAGE = "average"
    NORM = "norm"
    IMPORTED = "imported"

    @property
    def label_ru(self) -> str:
        return _SOURCE_LABELS[self]


_SOURCE_LABELS = {
    ReadingSource.PORTAL: "Личный кабинет",
    ReadingSource.OPERATOR: "Оператор",
    ReadingSource.INSPECTOR: "Контролёр",
    ReadingSource.AVERAGE: "По среднему",
    ReadingSource.NORM: "По нормативу",
    ReadingSource.IMPORTED: "Загружено из биллинга",
}


class EntryStatus(enum.Enum):
    """What became of a reading (статус ввода).

    A pending reading (ACCEPTED) that the resident deleted or replaced by a newer value
    stays in the history as DELETED or REPLACED: the history keeps what happened.
    """

    ACCEPTED = "accepted"
    CALCULATED = "calculated"
    REJECTED = "rejected"
    REPLACED = "replaced"
    DELETED = "deleted"

    @property
    def label_ru(self) -> str:
        return _STATUS_LABELS[self]

    @property
    def is_withdrawn(self) -> bool:
        """A pending value the resident replaced or deleted: history only."""
        return self in (EntryStatus.REPLACED, EntryStatus.DELETED)

    @property
    def counts(self) -> bool:
        """Whether the value stands as the meter's reading (not withdrawn, not refused)."""
        return self in (EntryStatus.ACCEPTED, EntryStatus.CALCULATED)


_STATUS_LABELS = {
    EntryStatus.ACCEPTED: "Принято",
    EntryStatus.CALCULATED: "Рассчитано",
    EntryStatus.REJECTED: "Отклонено",
    EntryStatus.REPLACED: "Заменено",
    EntryStatus.DELETED: "Удалено",
}


class ReadingNotPending(DomainError):
    code = "reading_not_pending"

    def __init__(self) -> None:
        super().__init__("Показание уже обработано: удалить или изменить его нельзя")


@attrs.define
class Reading:
    """A meter's value in one tariff zone for one period."""

    id: str
    meter_id: str
    zone: TariffZone
    period: Period
    value: Decimal
    taken_at: dt.datetime
    source: ReadingSource
    status: EntryStatus = EntryStatus.ACCEPTED
    rejection_reason: str = ""

    @property
    def is_pending(self) -> bool:
        return self.status is EntryStatus.ACCEPTED

    def mark_calculated(self) -> None:
        if self.status not in (EntryStatus.ACCEPTED, EntryStatus.CALCULATED):
            raise ReadingNotPending()
        self.status = EntryStatus.CALCULATED

    def reject(self, reason: str) -> None:
        if self.status is not EntryStatus.ACCEPTED:
            raise ReadingNotPending()
        self.status = EntryStatus.REJECTED
        self.rejection_reason = reason

    def ensure_deletable(self) -> None:
        """Only a resident's own reading still waiting for billing may be deleted (F14)."""
        if not (self.is_pending and self.source is ReadingSource.PORTAL):
            raise ReadingNotPending()


def parse_reading_value(text: str) -> Decimal:
    """A value as typed: `123,45`, `123.45`, `1 234`; anything else is a clear error."""
    cleaned = re.sub(r"[\s\u00a0]", "", text).replace(",", ".")
    if not re.fullmatch(r"[-−]?\d+(\.\d+)?", cleaned):
        raise InvalidValue("value", text, "Введите показание числом, например 123,45")
    try:
        return Decimal(cleaned.replace("−", "-"))
    except InvalidOperation as error:  # pragma: no cover - the pattern admits only numbers
        raise InvalidValue("value", text, "Введите показание числом") from error


def consumption_between(previous: Decimal, current: Decimal, capacity: DigitCapacity) -> Decimal:
    """Consumption from one reading to the next; a counter that passed 10^N wrapped to zero."""
    if current >= previous:
        return current - previous
    return current + capacity.rollover - previous
