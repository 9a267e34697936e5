"""Reading a batch of ledger rows a column at a time: the fast path of ledger files.

Ledger files run to millions of lines. A batch whose columns all have the usual form
(`1234,56` amounts, known accounts and services, open periods) is checked with one
regular expression per kind of column and converted in bulk. A batch with anything
unusual is handed back (None) so that the row-by-row reader in `rows.py`, which is the
reference for every rule, reads it and names the line and column of each problem. A
property test holds both readers to the same result.

The reader also notes every row's key (account, period, service) and raises
`KeysRepeated` at a key met before (repeats.py): the loader then reads the file row by
row, to name both lines.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from operator import add, sub
from sys import intern
from typing import cast

from lk_core.billing_import.fields import control_character
from lk_core.billing_import.repeats import KeysRepeated, LedgerKeys
from lk_core.billing_import.rows import KnownKeys, ledger_key_reader
from lk_core.kernel.errors import DomainError
from lk_core.kernel.periods import Period
from lk_core.ledger.lines import LedgerRow

# Possessive quantifiers: a digit run is never given back, so a long column of amounts
# is checked without the backtracking bookkeeping.
_AMOUNT = r"-?[0-9]{1,15}+,[0-9]{2}"
_AMOUNTS = re.compile(rf"{_AMOUNT}(?:\n{_AMOUNT})*+")
_DECIMAL = r"(?:(?:0|[1-9][0-9]{0,11}+)(?:[.,][0-9]{1,6}+)?+)?+"
_DECIMALS = re.compile(rf"{_DECIMAL}(?:\n{_DECIMAL})*+")

BatchReader = Callable[[list[list[str]]], list[LedgerRow] | None]


def _joined(columns: Sequence[Sequence[str]]) -> str:
    return "\n".join(["\n".join(column) for column in columns])


def _amounts(columns: Sequence[Sequence[str]]) -> list[list[int]] | None:
    """Amount columns of one batch in kopecks: one pattern, one conversion for them all."""
    joined = _joined(columns)
    if not _AMOUNTS.fullmatch(joined):
        return None
    # `1234,56` is 123456 kopecks once the comma goes: one replace for every column.
    values = list(map(int, joined.replace(",", "").split("\n")))
    rows = len(columns[0])
    if len(values) != rows * len(columns):  # a field with a line break inside
        return None
    return [values[i * rows : (i + 1) * rows] for i in range(len(columns))]


def _decimals(columns: Sequence[Sequence[str]]) -> list[list[str]] | None:
    """Volume and tariff columns as exact text with a point, blank as ""."""
    joined = _joined(columns)
    if not _DECIMALS.fullmatch(joined):
        return None
    values = joined.replace(",", ".").split("\n")
    rows = len(columns[0])
    if len(values) != rows * len(columns):  # a field with a line break inside
        return None
    return [values[i * rows : (i + 1) * rows] for i in range(len(columns))]


def _blank_as_none(texts: list[str]) -> list[str | None]:
    values: list[str | None] = list(texts)
    return [text or None for text in texts] if "" in values else values


def ledger_batch_reader(columns: dict[str, int], known: KnownKeys) -> BatchReader:
    """A batch reader for a ledger file with these columns."""
    i_account, i_period, i_service = columns["account"], columns["period"], columns["service"]
    i_amounts = [columns["opening"], columns["charged"], columns["paid"]]
    i_recalc = columns.get("recalculation")
    if i_recalc is not None:
        i_amounts.append(i_recalc)
    i_closing = columns.get("closing")
    if i_closing is not None:
        i_amounts.append(i_closing)
    i_decimals = [i for i in (columns.get("volume"), columns.get("tariff")) if i is not None]
    has_volume, has_tariff = "volume" in columns, "tariff" in columns
    i_reason = columns.get("recalculation_reason")
    width = max(columns.values()) + 1
    period_codes: dict[str, int] = {}
    keys = LedgerKeys()
    key_of = ledger_key_reader(columns, known)

    def handed_back(batch: list[list[str]]) -> list[LedgerRow] | None:
        """None, for the row reader; the keys of the rows are noted all the same."""
        if not keys.add(key for key in map(key_of, batch) if key is not None):
            raise KeysRepeated
        return None

    def period_code(text: str) -> int | None:
        code = period_codes.get(text)
        if code is None:
            try:
                code = Period.parse(text).code
            except DomainError:
                return None
            if code in known.closed_periods:
                return None
            period_codes[text] = code
            known.periods_seen.add(code)
        return code

    def read_batch(batch: list[list[str]]) -> list[LedgerRow] | None:
        if not batch:
            return []
        if min(map(len, batch)) < width:
            return handed_back(batch)
        rows = len(batch)
        by_column = list(zip(*batch, strict=False))
        # Equal texts as one object: a file repeats its accounts, services and tariffs
        # on line after line, and one object is passed from process to process
        # (ADR 0010) and kept in memory once.
        accounts = list(map(intern, by_column[i_account]))
        services = list(map(intern, by_column[i_service]))
        if not (known.accounts.issuperset(accounts) and known.services.issuperset(services)):
            return handed_back(batch)
        period_texts = by_column[i_period]
        codes = {text: period_code(text) for text in set(period_texts)}
        if None in codes.values():
            return handed_back(batch)
        periods = list(map(codes.__getitem__, period_texts))
        if not keys.add(zip(accounts, cast("list[int]", periods), services, strict=True)):
            raise KeysRepeated
        amounts = _amounts([by_column[i] for i in i_amounts])
        if amounts is None:
            return None
        opening, charged, paid = amounts[:3]
        recalc = amounts[3] if i_recalc is not None else [0] * rows
        if i_closing is not None and amounts[-1] != list(
            map(sub, map(add, map(add, opening, charged), recalc), paid)
        ):
            return None
        decimals = _decimals([by_column[i] for i in i_decimals]) if i_decimals else []
        if decimals is None:
            return None
        no_values: list[str | None] = [None] * rows
        volume = _blank_as_none(decimals[0]) if has_volume else no_values
        # Tariffs repeat from line to line, like accounts and services (see above).
        tariff = _blank_as_none(list(map(intern, decimals[-1]))) if has_tariff else no_values
        if i_reason is None:
            reasons: Sequence[str] = [""] * rows
        else:
            reasons = by_column[i_reason]
            joined = "\n".join(reasons)
            # A reason with a line break inside, blanks around it or a control character
            # takes the row path.
            if (
                joined.count("\n") != rows - 1
                or any(r != r.strip() for r in reasons if r)
                or control_character(joined, line_breaks=True) is not None
            ):
                return None
        return list(
            zip(
                accounts, periods, services, opening, charged, recalc, paid,
                volume, tariff, reasons,
                strict=True,
            )
        )  # fmt: skip

    return read_batch
