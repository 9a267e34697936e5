"""Reading single fields of billing files: amounts, numbers, dates, yes/no.

Each raises `RowProblem` naming its column. The amount reader has a fast path for the
common `1234,56` form because ledger files run to millions of lines.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from lk_core.kernel.errors import InvalidValue
from lk_core.kernel.money import Money


class RowProblem(Exception):
    """A field of a row is not acceptable; `column` names it, `reason` says why in Russian."""

    def __init__(self, column: str, reason: str) -> None:
        super().__init__(f"{column}: {reason}")
        self.column = column
        self.reason = reason


_DATE_RU = re.compile(r"^([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})$")
_DATE_ISO = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_TIME = re.compile(r"^[0-9]{1,2}:[0-9]{2}(:[0-9]{2})?$")


def kopecks(text: str, column: str) -> int:
    """An amount in rubles with a decimal comma or point, as whole kopecks."""
    if len(text) > 3 and text[-3] in ",." and "_" not in text and " " not in text:
        digits = text[:-3] + text[-2:]
        unsigned = digits[1:] if digits[0] == "-" else digits
        if 2 < len(unsigned) <= 17 and unsigned.isascii() and unsigned.isdigit():
            return int(digits)
    if not text.strip():
        raise RowProblem(column, "сумма не указана")
    try:
        return Money.parse(text).kopecks
    except InvalidValue as error:
        raise RowProblem(column, error.message_ru) from None


def decimal(text: str, column: str, *, optional: bool = False) -> Decimal | None:
    """A non-negative exact number with a decimal comma or point."""
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "").replace(",", ".")
    if not cleaned:
        if optional:
            return None
        raise RowProblem(column, "значение не указано")
    if not re.fullmatch(r"\d+(\.\d+)?", cleaned):
        raise RowProblem(column, f"«{text}» — не число (ожидается, например, 12,5)")
    try:
        return Decimal(cleaned)
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        raise RowProblem(column, f"«{text}» — не число") from None


def whole(text: str, column: str, *, default: int | None = None) -> int:
    """A non-negative whole number."""
    cleaned = text.strip()
    if not cleaned and default is not None:
        return default
    if not cleaned.isdigit() or not cleaned.isascii():
        raise RowProblem(column, f"«{text}» — не целое неотрицательное число")
    return int(cleaned)


def date(text: str, column: str, *, optional: bool = False) -> dt.date | None:
    """`31.12.2026` or `2026-12-31`."""
    cleaned = text.strip()
    if not cleaned:
        if optional:
            return None
        raise RowProblem(column, "дата не указана")
    try:
        if match := _DATE_RU.match(cleaned):
            return dt.date(int(match[3]), int(match[2]), int(match[1]))
        if _DATE_ISO.match(cleaned):
            return dt.date.fromisoformat(cleaned)
    except ValueError:
        pass
    raise RowProblem(column, f"«{text}» — не дата (ожидается ДД.ММ.ГГГГ)")


def moment(text: str, column: str, tz: dt.tzinfo) -> dt.datetime:
    """A date, or a date and time, in the company's time zone; returned in UTC."""
    cleaned = text.strip()
    day_part, _, time_part = cleaned.partition(" ")
    day = date(day_part, column)
    assert day is not None
    at = dt.time(0, 0)
    if time_part:
        if not _TIME.match(time_part):
            raise RowProblem(column, f"«{text}» — не время (ожидается ЧЧ:ММ)")
        try:
            at = dt.time.fromisoformat(time_part)
        except ValueError:
            raise RowProblem(column, f"«{text}» — не время (ожидается ЧЧ:ММ)") from None
    return dt.datetime.combine(day, at, tzinfo=tz).astimezone(dt.UTC)


def yes_no(text: str, column: str) -> bool:
    value = text.strip().casefold()
    if value in {"", "0", "нет", "no", "false", "n", "н"}:
        return False
    if value in {"1", "да", "yes", "true", "y", "д"}:
        return True
    raise RowProblem(column, f"«{text}» — ожидается «да» или «нет»")
