"""Keys a file names twice: a file has one row per key, or it is refused.

The key of a house is its code, of a service its code, of an account its digits, of a
meter its code, of a payment its number, of a reading its code, and of a ledger line its
account, period and service. Before, the last of two rows with one key silently won;
now the later row is refused, naming the line the key was first named on. A row whose
key is valid counts even when another of its fields is bad: the file names it twice.

Most files are small: each key's first line is kept (`FirstLines`). Ledger files run to
millions of lines and are read in bulk, perhaps in another process (ADR 0010): their
keys are bits, one per account in a bitmap per period and service (`LedgerKeys`), so
memory grows with the accounts and periods a file names, not with its lines; the first
line of a repeated key is found by reading the file again (`first_lines`), which only
happens when the load fails anyway.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from typing import cast

from lk_core.accounts.account import AccountNumber
from lk_core.billing_import.kinds import FileKind
from lk_core.billing_import.rows import KnownKeys, LedgerKey, ledger_key_reader
from lk_core.kernel.errors import DomainError
from lk_core.kernel.periods import Period

KeyReader = Callable[[list[str]], Hashable | None]

# The column a repeated key is reported in (for the ledger, the first of its three).
KEY_COLUMNS = {
    FileKind.HOUSES: "house",
    FileKind.SERVICES: "service",
    FileKind.ACCOUNTS: "account",
    FileKind.METERS: "meter",
    FileKind.LEDGER: "account",
    FileKind.PAYMENTS: "payment",
    FileKind.READINGS: "reading",
}
_NOUNS = {
    FileKind.HOUSES: "дом",
    FileKind.SERVICES: "услуга",
    FileKind.ACCOUNTS: "лицевой счёт",
    FileKind.METERS: "прибор учёта",
    FileKind.PAYMENTS: "платёж",
    FileKind.READINGS: "показание",
}
# `FirstLines.note`'s answer for a key met before on a line not kept (ledger files).
LINE_NOT_KEPT = 0


class KeysRepeated(Exception):
    """The ledger's batch reader met a key a second time: read the file row by row."""


def key_reader_for(kind: FileKind, columns: dict[str, int], known: KnownKeys) -> KeyReader:
    """A row's key, read from its fields as the row reader reads it; None if not valid."""
    if kind is FileKind.LEDGER:
        return ledger_key_reader(columns, known)
    position = columns[KEY_COLUMNS[kind]]

    def key(fields: list[str]) -> str | None:
        text = fields[position].strip() if position < len(fields) else ""
        if kind is not FileKind.ACCOUNTS:
            return text or None
        try:
            return AccountNumber.parse(text).key
        except DomainError:
            return None

    return key


def repeated(kind: FileKind, key: Hashable, first_line: int | None) -> str:
    """The reason a row is refused: «лицевой счёт 100234 уже есть в строке 2» (or «выше в
    файле», should the file have changed before its first line was looked up)."""
    if kind is FileKind.LEDGER:
        account, period, service = cast("LedgerKey", key)
        what = f"лицевой счёт {account}, период {Period.from_code(period)}, услуга {service}"
    else:
        what = f"{_NOUNS[kind]} {key}"
    if first_line is None:
        return f"{what} уже есть выше в файле"
    return f"{what} уже есть в строке {first_line}"


class LedgerKeys:
    """The ledger keys met so far: a bit per account in a bitmap per period and service."""

    def __init__(self) -> None:
        self._accounts: dict[str, int] = {}
        self._bitmaps: dict[tuple[int, str], bytearray] = {}

    def add(self, keys: Iterable[LedgerKey]) -> bool:
        """Note the keys; False if any of them was noted before (or comes twice here)."""
        accounts, bitmaps = self._accounts, self._bitmaps
        fresh = True
        for account, period, service in keys:
            index = accounts.get(account)
            if index is None:
                index = accounts[account] = len(accounts)
            bitmap = bitmaps.get((period, service))
            if bitmap is None:
                bitmap = bitmaps[(period, service)] = bytearray()
            byte, bit = index >> 3, 1 << (index & 7)
            if byte >= len(bitmap):
                bitmap.extend(bytes(byte + 1 - len(bitmap)))
            if bitmap[byte] & bit:
                fresh = False
            else:
                bitmap[byte] |= bit
        return fresh


class FirstLines:
    """The line each key of a file was first named on (for a ledger: whether it was)."""

    def __init__(self, kind: FileKind) -> None:
        self._lines: dict[Hashable, int] = {}
        self._ledger = LedgerKeys() if kind is FileKind.LEDGER else None

    def note(self, key: Hashable, line: int) -> int | None:
        """The line the key was named on before this one: None if it was not, and
        `LINE_NOT_KEPT` for a ledger key (`first_lines` finds the line)."""
        if self._ledger is not None:
            return None if self._ledger.add([cast("LedgerKey", key)]) else LINE_NOT_KEPT
        first = self._lines.setdefault(key, line)
        return None if first == line else first

    def __contains__(self, key: Hashable) -> bool:
        return key in self._lines


def first_lines(
    rows: Iterator[tuple[int, list[str]]], key_of: KeyReader, keys: set[Hashable]
) -> dict[Hashable, int]:
    """The first line each of these keys is named on, reading the rows no further than needed."""
    found: dict[Hashable, int] = {}
    for line, fields in rows:
        key = key_of(fields)
        if key in keys and key not in found:
            found[key] = line
            if len(found) == len(keys):
                break
    return found
