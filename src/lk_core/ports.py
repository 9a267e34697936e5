"""Ports: what the core needs from the outside world, as Protocols.

Adapters do not inherit from these; mypy checks that they conform and the contract
tests in `tests/contract/` check that they behave alike.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from types import TracebackType
from typing import Protocol, Self

from lk_core.accounts import Account, House
from lk_core.billing_import.rows import LedgerRow
from lk_core.ledger import LedgerLine
from lk_core.messages import EmailMessage, SmsMessage
from lk_core.meters import Meter
from lk_core.one_time_secrets import OneTimeSecret, SecretPurpose
from lk_core.payments import Payment
from lk_core.periods import BillingPeriod, Period
from lk_core.readings import Reading
from lk_core.registration import Consent, Registration
from lk_core.services import Service


class Clock(Protocol):
    """The current time; use cases never read the system clock themselves."""

    def now(self) -> dt.datetime:
        """An aware datetime in UTC."""
        ...


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

    def delete(self, reading_id: str) -> None:
        """Remove a reading (only a pending one may be; the use case checks)."""
        ...


class RegistrationRepository(Protocol):
    def get(self, account_key: str) -> Registration | None:
        """The registration of an account, if any."""
        ...

    def save(self, registration: Registration) -> None:
        """Add or replace the registration of its account."""
        ...

    def delete(self, account_key: str) -> None:
        """Remove an account's registration."""
        ...

    def count_with_email(self, email_key: str) -> int:
        """How many accounts are registered with this e-mail (compared case-insensitively)."""
        ...


class SecretRepository(Protocol):
    def add(self, secret: OneTimeSecret) -> None:
        """Store a newly issued secret."""
        ...

    def find(self, secret_hash: str) -> OneTimeSecret | None:
        """The secret with this hash."""
        ...

    def latest(self, subject: str, purpose: SecretPurpose) -> OneTimeSecret | None:
        """The most recently issued secret of a subject for a purpose."""
        ...

    def save(self, secret: OneTimeSecret) -> None:
        """Store a secret's changed state (used, attempts left)."""
        ...


class ConsentRepository(Protocol):
    def add(self, consent: Consent) -> None:
        """Record a consent given or withdrawn; records are never changed or removed."""
        ...

    def of_account(self, account_key: str) -> list[Consent]:
        """An account's consent records, oldest first."""
        ...


class UnitOfWork(Protocol):
    """One transaction over every repository: all of it commits, or none of it."""

    houses: HouseRepository
    accounts: AccountRepository
    services: ServiceRepository
    periods: PeriodRepository
    ledger: LedgerRepository
    payments: PaymentRepository
    meters: MeterRepository
    readings: ReadingRepository
    registrations: RegistrationRepository
    secrets: SecretRepository
    consents: ConsentRepository

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Roll back whatever was not committed."""
        ...

    def commit(self) -> None:
        """Make the transaction's changes permanent."""
        ...

    def rollback(self) -> None:
        """Forget the transaction's changes."""
        ...


UnitOfWorkFactory = Callable[[], UnitOfWork]


class ProgressReporter(Protocol):
    """Where a long job tells how far it got (a progress bar, a log, nothing)."""

    def advance(self, done: int, total: int | None) -> None:
        """`done` units of `total` are finished."""
        ...


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str:
        """A salted, slow hash of the password (argon2id)."""
        ...

    def verify(self, password_hash: str, password: str) -> bool:
        """Whether the password matches the hash."""
        ...


def no_progress() -> ProgressReporter:
    """A reporter that reports nowhere."""

    class _Silent:
        def advance(self, done: int, total: int | None) -> None:
            return None

    return _Silent()


class Mailer(Protocol):
    def send(self, message: EmailMessage) -> None:
        """Deliver one e-mail or raise; the outbox worker retries on failure."""
        ...


class SmsSender(Protocol):
    def send(self, message: SmsMessage) -> None:
        """Deliver one SMS or raise; the outbox worker retries on failure."""
        ...


class ReceiptStore(Protocol):
    def put(self, account_key: str, period: Period, pdf: bytes) -> None:
        """Store a receipt whole (write, then rename), replacing an earlier one."""
        ...

    def get(self, account_key: str, period: Period) -> bytes | None:
        """The receipt's PDF, if there is one."""
        ...

    def periods_of(self, account_key: str) -> list[Period]:
        """The periods an account has receipts for, newest first."""
        ...


class SourceFile(Protocol):
    """A billing-data file opened for import: its kind, header and rows (F21)."""

    name: str
    kind: str
    columns: dict[str, int]

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """Line number and fields of every data row, in file order."""
        ...

    def progress(self) -> tuple[int, int]:
        """Bytes read so far and the file's size in bytes."""
        ...
