"""The ledger kept in memory, as the rows it was loaded from."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from lk_adapters.memory.store import InMemoryStore
from lk_core.kernel.money import Money
from lk_core.kernel.periods import Period
from lk_core.ledger.lines import LedgerLine, LedgerRow


def line_of(row: LedgerRow) -> LedgerLine:
    """The ledger line a bulk row stands for."""
    account, period, service, opening, charged, recalc, paid, volume, tariff, reason = row
    return LedgerLine(
        account_key=account,
        period=Period.from_code(period),
        service_code=service,
        opening=Money(opening),
        charged=Money(charged),
        recalculation=Money(recalc),
        paid=Money(paid),
        volume=None if volume is None else Decimal(volume),
        tariff=None if tariff is None else Decimal(tariff),
        recalculation_reason=reason,
    )


class InMemoryLedger:
    """Ledger rows by account, period and service."""

    def __init__(self, store: InMemoryStore) -> None:
        self._store = store

    def upsert_rows(self, rows: Sequence[LedgerRow]) -> None:
        self._store.ledger.update(((row[0], row[1], row[2]), row) for row in rows)

    def lines(self, account_key: str, period: Period) -> list[LedgerLine]:
        code = period.code
        found = [
            row
            for (account, row_period, _), row in self._store.ledger.items()
            if account == account_key and row_period == code
        ]
        return [line_of(row) for row in sorted(found, key=lambda row: row[2])]

    def periods_of(self, account_key: str) -> list[Period]:
        codes = {period for account, period, _ in self._store.ledger if account == account_key}
        return [Period.from_code(code) for code in sorted(codes, reverse=True)]

    def count(self) -> int:
        return len(self._store.ledger)

    def accounts_in(self, period: Period) -> list[str]:
        code = period.code
        return sorted(
            {account for account, row_period, _ in self._store.ledger if row_period == code}
        )

    def lines_of_accounts(self, account_keys: Sequence[str], period: Period) -> list[LedgerLine]:
        wanted, code = set(account_keys), period.code
        found = [
            row
            for (account, row_period, _), row in self._store.ledger.items()
            if account in wanted and row_period == code
        ]
        return [line_of(row) for row in sorted(found, key=lambda row: (row[0], row[2]))]
