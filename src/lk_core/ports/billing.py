"""The billing system's data: houses, accounts, services, periods, ledger, meters,
readings, and the files they come in."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Protocol

from lk_core.accounts.account import Account, House
from lk_core.kernel.periods import BillingPeriod, Period
from lk_core.ledger.lines import LedgerLine, LedgerRow
from lk_core.ledger.services import Service
from lk_core.payments.payment import Payment
from lk_core.readings.meters import Meter
from lk_core.readings.reading import EntryStatus, Reading


class HouseRepository(Protocol):
    def get(self, code: str) -> House | None:
        """The house with that code."""
        ...

    def upsert_many(self, houses: Sequence[House]) -> None:
        """Add houses or update them by code."""
        ...

    def codes(self) -> set[str]:
        """The codes of every house."""
        ...


class AccountRepository(Protocol):
    def get(self, key: str) -> Account | None:
        """The account whose number has these digits."""
        ...

    def upsert_from_billing(self, accounts: Sequence[Account]) -> None:
        """Add accounts or update the billing-owned fields; contacts and delivery settings
        already on file are kept, a contact is filled in only where none is on file."""
        ...

    def save(self, account: Account) -> None:
        """Store an account changed in the portal (contacts, delivery, informing)."""
        ...

    def keys(self) -> set[str]:
        """The number digits of every account."""
        ...

    def count(self) -> int:
        """How many accounts there are."""
        ...

    def in_house(self, house_code: str) -> list[Account]:
        """The accounts of a house, by number."""
        ...

    def get_many(self, keys: Sequence[str]) -> list[Account]:
        """The accounts with these keys that exist, in any order (month close, issue 6)."""
        ...


class ServiceRepository(Protocol):
    def upsert_many(self, services: Sequence[Service]) -> None:
        """Add services or update them by code."""
        ...

    def list(self) -> list[Service]:
        """Every service, by code."""
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


class PaymentRepository(Protocol):
    def add_many(self, payments: Sequence[Payment]) -> int:
        """Add payments not seen before (by channel and external id); return how many were new."""
        ...

    def of_account(self, account_key: str) -> list[Payment]:
        """An account's payments, newest first."""
        ...


class MeterRepository(Protocol):
    def get(self, meter_id: str) -> Meter | None:
        """The meter with that id."""
        ...

    def upsert_many(self, meters: Sequence[Meter]) -> None:
        """Add meters or update them by id."""
        ...

    def of_account(self, account_key: str) -> list[Meter]:
        """An account's individual meters, by service and serial."""
        ...

    def of_house(self, house_code: str) -> list[Meter]:
        """A house's common-house meters, by service and serial."""
        ...

    def ids(self) -> set[str]:
        """The ids of every meter."""
        ...

    def of_accounts(self, account_keys: Sequence[str]) -> list[Meter]:
        """The individual meters of several accounts, by service and serial (issue 6)."""
        ...


class ReadingRepository(Protocol):
    def get(self, reading_id: str) -> Reading | None:
        """The reading with that id."""
        ...

    def upsert_many(self, readings: Sequence[Reading]) -> None:
        """Add readings or replace them by id."""
        ...

    def of_meter(self, meter_id: str) -> list[Reading]:
        """A meter's readings, oldest first (by period, then time taken)."""
        ...

    def of_meters(self, meter_ids: Sequence[str], *, withdrawn: bool = True) -> list[Reading]:
        """Readings of several meters, each meter's oldest first (as `of_meter`); with
        `withdrawn=False` without those replaced or deleted (`EntryStatus.is_withdrawn`): what
        the submission form works from, which does not grow with every replaced value."""
        ...

    def add_pending(self, reading: Reading) -> None:
        """Store a new pending reading; `ReadingConflict` if its meter, zone and period
        already have one (the database enforces it, so concurrent writers cannot both win)."""
        ...

    def withdraw(self, reading_id: str, status: EntryStatus) -> bool:
        """Turn a still pending reading into `status` (replaced, deleted); False if it was
        no longer pending, changing nothing."""
        ...

    def pending_in(self, period: Period) -> Iterator[Reading]:
        """The pending readings of a period by meter, zone and time, streamed from storage."""
        ...

    def of_meters_in(self, meter_ids: Sequence[str], periods: Sequence[Period]) -> list[Reading]:
        """The readings of several meters in the given periods, oldest first (by period,
        then time taken), for the receipts of month close (issue 6)."""
        ...


class SourceFile(Protocol):
    """A billing-data file opened for import: its kind, header and rows (F21).

    `batches(size, parse)` gives the rows `size` at a time, in file order, each batch as
    (rows with their line numbers, records): ([], records) when `parse` made records of
    the batch's fields, (rows, None) when it handed the batch back (None) or no `parse`
    was given. An adapter may run `parse` in another process (ADR 0010): whatever it
    changes besides its records is lost to the caller.
    """

    name: str
    kind: str
    columns: dict[str, int]

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """Line number and fields of every data row, in file order."""
        ...

    def batches(
        self, size: int, parse: Callable[[list[list[str]]], Sequence[object] | None] | None
    ) -> Iterator[tuple[list[tuple[int, list[str]]], Sequence[object] | None]]:
        """The rows `size` at a time, each batch parsed by `parse` if given."""
        ...

    def progress(self) -> tuple[int, int]:
        """Bytes read so far and the file's size in bytes."""
        ...
