"""Reading a bank's payment registry file: `;`-separated lines in Windows-1251 (F24).

Every bad line is reported with its line and column; a registry with any is refused whole.
A closing summary line (`=count;total;…`) is checked against the lines above it. What a
line holds fits the columns that store it: no control characters, no operation number or
order longer than its column, and no operation twice in one registry.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from pathlib import Path

from lk_adapters.registries.formats import RegistryFormat
from lk_core.accounts.account import AccountNumber
from lk_core.billing_import.fields import control_character
from lk_core.kernel.errors import InvalidValue
from lk_core.kernel.money import Money, total
from lk_core.payments.registry_import import RegistryEntry

MAX_PROBLEMS = 50
# A registry line's payment is stored as `<bank>:<operation>` in a column of 128
# characters, and bank names have at most 32 (formats.py): 64 leaves room to spare.
MAX_LINE_ID = 64
MAX_ORDER_ID = 64  # the length of the portal's order numbers' column
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_USED = ("date", "line_id", "account", "amount", "payer", "order")


class RegistryFileError(Exception):
    """The registry cannot be read; `problems` are (line, column, message), column 0 = the line."""

    def __init__(self, path: Path, problems: list[tuple[int, int, str]]) -> None:
        super().__init__(f"{path}: ошибок — {len(problems)}")
        self.path = path
        self.problems = problems


def read_registry(path: Path, fmt: RegistryFormat) -> list[RegistryEntry]:
    """The registry's payments in file order; RegistryFileError lists what is wrong."""
    return read_registry_bytes(path.read_bytes(), path, fmt)


def read_registry_bytes(data: bytes, path: Path, fmt: RegistryFormat) -> list[RegistryEntry]:
    """`read_registry` of a file's bytes already at hand (an upload); `path` names it."""
    problems: list[tuple[int, int, str]] = []
    try:
        text = data.decode(fmt.encoding)
    except UnicodeDecodeError as error:
        line = len(re.split(rb"\r\n|\r|\n", data[: error.start]))
        raise RegistryFileError(path, [(line, 0, f"не в кодировке {fmt.encoding}")]) from None
    except LookupError:
        raise RegistryFileError(path, [(0, 0, f"неизвестная кодировка {fmt.encoding}")]) from None
    entries: list[RegistryEntry] = []
    summary: tuple[int, list[str]] | None = None
    first_lines: dict[str, int] = {}
    # Lines end as a text editor ends them; `str.splitlines` would end them at control
    # characters too (\x1c, \x85 …), and number the lines after differently.
    lines = _LINE_BREAK.split(text)
    if lines and not lines[-1]:
        lines.pop()
    for number, raw in enumerate(lines, start=1):
        if number <= fmt.skip or not raw.strip():
            continue
        if summary is not None:
            problems.append((number, 0, "строка после итоговой строки реестра"))
            continue
        fields = [field.strip() for field in raw.split(";")]
        if fmt.summary and raw.startswith(fmt.summary):
            summary = (number, fields)
            continue
        entry = _entry(number, fields, fmt, problems)
        if entry is not None:
            first = first_lines.setdefault(entry.line_id, number)
            if first != number:
                problems.append(
                    (
                        number,
                        fmt.column("line_id") or 0,
                        f"операция {entry.line_id} уже есть в строке {first}",
                    )
                )
            else:
                entries.append(entry)
        if len(problems) >= MAX_PROBLEMS:
            break
    if summary is not None and not problems:
        _check_summary(summary, entries, fmt, problems)
    if not entries and not problems:
        problems.append((0, 0, "в реестре нет ни одного платежа"))
    if problems:
        raise RegistryFileError(path, problems)
    return entries


@functools.lru_cache(maxsize=1024)
def _date(text: str, date_format: str) -> dt.date:
    """A calendar date, not a moment (no time zone to attach); a registry repeats a few
    dates many times, and strptime is slow, so each is read once."""
    return dt.datetime.strptime(text, date_format).date()  # noqa: DTZ007


@functools.lru_cache(maxsize=65536)
def _account_key(text: str) -> str:
    """An account's key; the same payers pay month after month, so each is read once."""
    return AccountNumber.parse(text).key


def _cell(fields: list[str], fmt: RegistryFormat, name: str) -> str:
    column = fmt.column(name)
    if column is None or column > len(fields):
        return ""
    return fields[column - 1]


def _entry(
    number: int, fields: list[str], fmt: RegistryFormat, problems: list[tuple[int, int, str]]
) -> RegistryEntry | None:
    before = len(problems)
    needed = max(fmt.column(name) or 0 for name in ("date", "line_id", "account", "amount"))
    if len(fields) < needed:
        problems.append((number, 0, f"колонок {len(fields)}, а нужно не меньше {needed}"))
        return None

    def bad(name: str, message: str) -> None:
        problems.append((number, fmt.column(name) or 0, message))

    for name in _USED:
        where = control_character(_cell(fields, fmt, name))
        if where is not None:
            bad(name, f"управляющий символ ({where}): такие символы не допускаются")
    if len(problems) > before:
        return None
    paid_on = dt.date.min
    try:
        paid_on = _date(_cell(fields, fmt, "date"), fmt.date_format)
    except ValueError:
        bad("date", f"«{_cell(fields, fmt, 'date')}» — не дата ({fmt.date_format})")
    line_id = _cell(fields, fmt, "line_id")
    if not line_id:
        bad("line_id", "нет номера операции")
    elif len(line_id) > MAX_LINE_ID:
        bad("line_id", f"номер операции длиннее {MAX_LINE_ID} знаков")
    account = ""
    try:
        account = _account_key(_cell(fields, fmt, "account"))
    except InvalidValue as error:
        bad("account", error.message_ru)
    amount = Money(0)
    try:
        amount = Money.parse(_cell(fields, fmt, "amount"))
        if amount.kopecks <= 0:
            bad("amount", "сумма платежа должна быть больше нуля")
    except InvalidValue as error:
        bad("amount", error.message_ru)
    order_id = _cell(fields, fmt, "order")
    if len(order_id) > MAX_ORDER_ID:
        bad("order", f"номер заказа длиннее {MAX_ORDER_ID} знаков: такого заказа нет")
    if len(problems) > before:
        return None
    return RegistryEntry(
        line_no=number,
        line_id=line_id,
        account_key=account,
        paid_on=paid_on,
        amount=amount,
        order_id=order_id,
        payer=_cell(fields, fmt, "payer"),
    )


def _check_summary(
    summary: tuple[int, list[str]],
    entries: list[RegistryEntry],
    fmt: RegistryFormat,
    problems: list[tuple[int, int, str]],
) -> None:
    number, fields = summary
    count_text = fields[0].removeprefix(fmt.summary).strip()
    # As text: `isdigit` admits «²», which int() refuses, and thousands of digits.
    if count_text != str(len(entries)):
        problems.append(
            (number, 1, f"в итоге {count_text or '—'} платежей, а в реестре {len(entries)}")
        )
        return
    try:
        stated = Money.parse(fields[1]) if len(fields) > 1 else None
    except InvalidValue:
        stated = None
    counted = total([e.amount for e in entries])
    if stated is None or stated != counted:
        problems.append(
            (
                number,
                2,
                f"итоговая сумма {fields[1] if len(fields) > 1 else '—'}, "
                f"а по строкам {counted.format(currency=False)}",
            )
        )
