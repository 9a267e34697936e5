"""Reading single fields of billing files: text, amounts, numbers, dates, yes/no.

Each raises `RowProblem` naming its column. The amount reader has a fast path for the
common `1234,56` form because ledger files run to millions of lines. Every value a
reader accepts fits the column that stores it, on SQLite and PostgreSQL alike.
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


# Whole numbers (rooms, residents) are stored in 32-bit integer columns.
MAX_WHOLE = 2**31 - 1
# Control characters (C0, DEL, C1): PostgreSQL refuses NUL in text, and the others would
# reach operators' terminals and residents' pages. Free text may hold tabs and line breaks.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_IN_FREE_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_DATE_RU = re.compile(r"^([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})$")
_DATE_ISO = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_TIME = re.compile(r"^[0-9]{1,2}:[0-9]{2}(:[0-9]{2})?$")


def control_character(text: str, *, line_breaks: bool = False) -> str | None:
    """How a control character in the text is named (`U+0000, знак 4`), or None if none."""
    found = (_CONTROL_IN_FREE_TEXT if line_breaks else _CONTROL).search(text)
    if found is None:
        return None
    return f"U+{ord(found[0]):04X}, знак {found.start() + 1}"


def text_field(
    value: str, column: str, *, max_length: int | None = None, line_breaks: bool = False
) -> str:
    """A text field as it is: no control characters, and no longer than its column."""
    where = control_character(value, line_breaks=line_breaks)
    if where is not None:
        raise RowProblem(column, f"управляющий символ ({where}): такие символы не допускаются")
    if max_length is not None and len(value.strip()) > max_length:
        raise RowProblem(column, f"не длиннее {max_length} знаков, а здесь {len(value.strip())}")
    return value


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


def decimal(
    text: str,
    column: str,
    *,
    optional: bool = False,
    integer_digits: int = 12,
    fraction_digits: int = 6,
) -> Decimal | None:
    """A non-negative exact number with a decimal comma or point, of at most so many
    significant digits before and after the comma (what its NUMERIC column holds exactly)."""
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "").replace(",", ".")
    if not cleaned:
        if optional:
            return None
        raise RowProblem(column, "значение не указано")
    if not re.fullmatch(r"[0-9]+(\.[0-9]+)?", cleaned):
        raise RowProblem(column, f"«{text}» — не число (ожидается, например, 12,5)")
    whole_part, _, fraction = cleaned.partition(".")
    if len(whole_part.lstrip("0")) > integer_digits or len(fraction.rstrip("0")) > fraction_digits:
        raise RowProblem(
            column,
            f"«{text}» — не более {integer_digits} знаков до запятой и {fraction_digits} после",
        )
    try:
        return Decimal(cleaned)
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        raise RowProblem(column, f"«{text}» — не число") from None


def whole(text: str, column: str, *, default: int | None = None, maximum: int = MAX_WHOLE) -> int:
    """A non-negative whole number, at most `maximum`."""
    cleaned = text.strip()
    if not cleaned and default is not None:
        return default
    if not cleaned.isdigit() or not cleaned.isascii():
        raise RowProblem(column, f"«{text}» — не целое неотрицательное число")
    # Compared as text first: int() of thousands of digits is slow, and refused by Python.
    significant = cleaned.lstrip("0")
    if len(significant) > len(str(maximum)) or int(significant or "0") > maximum:
        limit = f"{maximum:,}".replace(",", "\u00a0")
        raise RowProblem(column, f"«{text}» — больше {limit}")
    return int(significant or "0")


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
    try:
        return dt.datetime.combine(day, at, tzinfo=tz).astimezone(dt.UTC)
    except OverflowError:  # 01.01.0001 00:00 east of Greenwich is before year 1 in UTC
        raise RowProblem(column, f"«{text}» — дата вне допустимого диапазона") from None


def yes_no(text: str, column: str) -> bool:
    value = text.strip().casefold()
    if value in {"", "0", "нет", "no", "false", "n", "н"}:
        return False
    if value in {"1", "да", "yes", "true", "y", "д"}:
        return True
    raise RowProblem(column, f"«{text}» — ожидается «да» или «нет»")
