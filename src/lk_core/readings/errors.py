"""readings: errors."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from lk_core.kernel.errors import DomainError


class ReadingRejected(DomainError):
    """A submitted meter reading breaks one of the reading rules."""

    code = "reading_rejected"


class ReadingNegative(ReadingRejected):
    code = "reading_negative"

    def __init__(self) -> None:
        super().__init__("Показание не может быть отрицательным")


class ReadingTooManyIntegerDigits(ReadingRejected):
    code = "reading_too_many_integer_digits"

    def __init__(self, max_digits: int) -> None:
        super().__init__(
            f"Показание должно содержать не более {max_digits} "
            f"{_digits_word(max_digits)} до запятой"
        )
        self.max_digits = max_digits


class ReadingTooManyFractionDigits(ReadingRejected):
    code = "reading_too_many_fraction_digits"

    def __init__(self, max_digits: int) -> None:
        if max_digits == 0:
            text = "Показание должно быть целым числом, без знаков после запятой"
        else:
            text = (
                f"Показание должно содержать не более {max_digits} "
                f"{_digits_word(max_digits)} после запятой"
            )
        super().__init__(text)
        self.max_digits = max_digits


class ReadingLessThanPrevious(ReadingRejected):
    code = "reading_less_than_previous"

    def __init__(self, previous: Decimal) -> None:
        shown = format(previous, "f").replace(".", ",")
        super().__init__(f"Показание не может быть меньше предыдущего ({shown})")
        self.previous = previous


class ReadingImplausible(ReadingRejected):
    code = "reading_implausible"

    def __init__(self, consumption: Decimal, limit: Decimal) -> None:
        shown = format(limit, "f").replace(".", ",")
        super().__init__(
            f"Расход слишком велик по сравнению со средним (допустимо не более {shown}). "
            "Проверьте показание или обратитесь в управляющую компанию"
        )
        self.consumption = consumption
        self.limit = limit


class ReadingInFuture(ReadingRejected):
    code = "reading_in_future"

    def __init__(self) -> None:
        super().__init__("Дата показания не может быть в будущем")


class MeterArchived(ReadingRejected):
    code = "meter_archived"

    def __init__(self) -> None:
        super().__init__("Прибор учёта выведен из эксплуатации: показания по нему не принимаются")


class MeterVerificationExpired(ReadingRejected):
    code = "meter_verification_expired"

    def __init__(self, due: dt.date) -> None:
        super().__init__(
            f"Срок поверки прибора учёта истёк {due:%d.%m.%Y}: показания не принимаются. "
            "Обратитесь в управляющую компанию"
        )
        self.due = due


class UnknownTariffZone(ReadingRejected):
    code = "unknown_tariff_zone"

    def __init__(self, zone: str) -> None:
        super().__init__("У этого прибора учёта нет такой тарифной зоны")
        self.zone = zone


class ReadingAlreadyCalculated(ReadingRejected):
    code = "reading_already_calculated"

    def __init__(self, period_label: str) -> None:
        super().__init__(
            f"Показания за {period_label} уже учтены в расчёте: новое значение не принимается"
        )
        self.period_label = period_label


class ReadingConflict(DomainError):
    """Another transaction stored a pending reading of the same meter, zone and period."""

    code = "reading_conflict"

    def __init__(self) -> None:
        super().__init__(
            "Показание по этому прибору учёта только что передано из другого окна. "
            "Обновите страницу и проверьте значение"
        )


def _digits_word(n: int) -> str:
    """Russian plural of «знак» after a number: 1 знака, 2 знаков … (genitive after «не более»)."""
    return "знака" if n % 10 == 1 and n % 100 != 11 else "знаков"
