"""What the ledger capability keeps: services, billing periods and ledger lines."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import attrs

from lk_core.accounts.ports import AccountLookup
from lk_core.kernel.periods import BillingPeriod, Period
from lk_core.kernel.transaction import Transaction
from lk_core.ledger.lines import LedgerLine, LedgerRow
from lk_core.ledger.services import Service


class ServiceCatalogue(Protocol):
    """The services billing charges for."""

    def list(self) -> list[Service]:
        """Every service, by code."""
        ...


class ServiceRepository(ServiceCatalogue, Protocol):
    """The service catalogue as billing loads it."""

    def upsert_many(self, services: Sequence[Service]) -> None:
        """Add services or update them by code."""
        ...


class PeriodRepository(Protocol):
    def get(self, period: Period) -> BillingPeriod | None:
        """The period's state, if the period is known."""
        ...

    def save(self, billing_period: BillingPeriod) -> None:
        """Store a period's state."""
        ...

    def list(self) -> list[BillingPeriod]:
        """Every known period, oldest first."""
        ...


class LedgerRepository(Protocol):
    def upsert_rows(self, rows: Sequence[LedgerRow]) -> None:
        """Bulk-load ledger rows; a row for the same account, period and service replaces
        the earlier one, so loading the same rows twice changes nothing."""
        ...

    def lines(self, account_key: str, period: Period) -> list[LedgerLine]:
        """An account's ledger lines in a period, by service code."""
        ...

    def periods_of(self, account_key: str) -> list[Period]:
        """The periods in which an account has ledger lines, newest first."""
        ...

    def count(self) -> int:
        """How many ledger lines there are."""
        ...

    def accounts_in(self, period: Period) -> list[str]:
        """The keys of the accounts with ledger lines in a period, in code-point order."""
        ...

    def lines_of_accounts(self, account_keys: Sequence[str], period: Period) -> list[LedgerLine]:
        """The ledger lines of several accounts in a period, by account, then service code."""
        ...


class LedgerUnitOfWork(Transaction, Protocol):
    """One transaction over what reading an account's settlements touches."""

    @property
    def accounts(self) -> AccountLookup: ...

    @property
    def ledger(self) -> LedgerRepository: ...

    @property
    def services(self) -> ServiceCatalogue: ...


@attrs.frozen
class SettlementReads:
    """`settlement_page`'s reads, told ahead (`lk_core.kernel.read_ahead`): the account,
    its periods, the lines of `period` (None: the newest) and the services."""

    account_key: str
    period: Period | None
