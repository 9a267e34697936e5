"""Reading a batch of ledger rows a column at a time: the fast path of ledger files.

Ledger files run to millions of lines. A batch whose columns all have the usual form
(`1234,56` amounts, known accounts and services, open periods) is checked with one
regular expression per column and converted in bulk. A batch with anything unusual is
handed back (None) so that the row-by-row reader in `rows.py`, which is the reference
for every rule, reads it and names the line and column of each problem. A property
test holds both readers to the same result.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lk_core.billing_import.rows import KnownKeys, LedgerRow
from lk_core.errors import DomainError
from lk_core.periods import Period

_AMOUNTS = re.compile(r"-?[0-9]{1,15},[0-9]{2}(?:\n-?[0-9]{1,15},[0-9]{2})*")
_DECIMAL = r"(?:(?:0|[1-9][0-9]{0,11})(?:[.,][0-9]{1,6})?)?"
_DECIMALS = re.compile(rf"{_DECIMAL}(?:\n{_DECIMAL})*")

BatchReader = Callable[[list[list[str]]], list[LedgerRow] | None]


def _amounts(column: list[str]) -> list[int] | None:
    joined = "\n".join(column)
    if not _AMOUNTS.fullmatch(joined):
        return None
    # `1234,56` is 123456 kopecks once the comma goes: one replace for the whole column.
    return list(map(int, joined.replace(",", "").split("\n")))


def _decimals(column: list[str]) -> list[str | None] | None:
    joined = "\n".join(column)
    if not _DECIMALS.fullmatch(joined):
        return None
    return [text or None for text in joined.replace(",", ".").split("\n")]


def ledger_batch_reader(columns: dict[str, int], known: KnownKeys) -> BatchReader:
    """A batch reader for a ledger file with these columns."""
    i_account, i_period, i_service = columns["account"], columns["period"], columns["service"]
    i_opening, i_charged, i_paid = columns["opening"], columns["charged"], columns["paid"]
    i_recalc = columns.get("recalculation")
    i_closing = columns.get("closing")
    i_volume, i_tariff = columns.get("volume"), columns.get("tariff")
    i_reason = columns.get("recalculation_reason")
    width = max(columns.values()) + 1
    period_codes: dict[str, int] = {}

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
        if any(len(fields) < width for fields in batch):
            return None
        accounts = [fields[i_account] for fields in batch]
        services = [fields[i_service] for fields in batch]
        if not (known.accounts.issuperset(accounts) and known.services.issuperset(services)):
            return None
        period_texts = [fields[i_period] for fields in batch]
        codes = {text: period_code(text) for text in set(period_texts)}
        if None in codes.values():
            return None
        periods = [codes[text] for text in period_texts]
        opening = _amounts([fields[i_opening] for fields in batch])
        charged = _amounts([fields[i_charged] for fields in batch])
        paid = _amounts([fields[i_paid] for fields in batch])
        recalc = (
            _amounts([fields[i_recalc] for fields in batch])
            if i_recalc is not None
            else [0] * len(batch)
        )
        if opening is None or charged is None or paid is None or recalc is None:
            return None
        if i_closing is not None:
            stated = _amounts([fields[i_closing] for fields in batch])
            if stated is None or any(
                s != o + c + r - p
                for s, o, c, r, p in zip(stated, opening, charged, recalc, paid, strict=True)
            ):
                return None
        no_values: list[str | None] = [None] * len(batch)
        volume = _decimals([f[i_volume] for f in batch]) if i_volume is not None else no_values
        tariff = _decimals([f[i_tariff] for f in batch]) if i_tariff is not None else no_values
        if volume is None or tariff is None:
            return None
        if i_reason is None:
            reasons = [""] * len(batch)
        else:
            reasons = [fields[i_reason] for fields in batch]
            # A reason with a line break inside, or blanks around it, takes the row path.
            if "\n".join(reasons).count("\n") != len(reasons) - 1 or any(
                r != r.strip() for r in reasons if r
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
