"""Ports: what the core needs from the outside world, as Protocols.

Adapters do not inherit from these; mypy checks that they conform and the contract
tests in `tests/contract/` check that they behave alike.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from types import TracebackType
from typing import Protocol, Self, runtime_checkable

from lk_core.access.audit import AuditEvent
from lk_core.access.sessions import Session
from lk_core.account_links import AccountLink
from lk_core.accounts import Account, House
from lk_core.billing_import.rows import LedgerRow
from lk_core.crediting import PaymentNews
from lk_core.ledger import LedgerLine
from lk_core.messages import EmailMessage, SmsMessage
from lk_core.meters import Meter
from lk_core.one_time_secrets import OneTimeSecret, SecretPurpose
from lk_core.operator.directory import AccountFound, AccountQuery, Audience, AudiencePage
from lk_core.outbox import OutboxMessage
from lk_core.payment_orders import OrderStatus, PaymentOrder, ProviderStart
from lk_core.payments import Payment
from lk_core.periods import BillingPeriod, Period
from lk_core.readings import EntryStatus, Reading
from lk_core.receipts import ReceiptDocument
from lk_core.registration import Consent, Registration
from lk_core.registries import RegistryLine
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

    def delete(self, reading_id: str) -> None:
        """Remove a reading (only a pending one may be; the use case checks)."""
        ...

    def of_meters(self, meter_ids: Sequence[str]) -> list[Reading]:
        """Readings of several meters, each meter's oldest first (as `of_meter`)."""
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


class SessionRepository(Protocol):
    def add(self, session: Session) -> None:
        """Store a new session."""
        ...

    def get(self, id_hash: str) -> Session | None:
        """The session with this id hash."""
        ...

    def save(self, session: Session) -> None:
        """Store a session's changed state (last seen, accounts)."""
        ...

    def delete(self, id_hash: str) -> None:
        """Forget a session (sign-out, or a replaced id)."""
        ...

    def delete_of_registration(self, registration_key: str, keep_id_hash: str | None) -> int:
        """End every session signed in by a registration but one; return how many ended."""
        ...

    def delete_idle(self, last_seen_before: dt.datetime) -> int:
        """Forget sessions not seen since the given time; return how many."""
        ...


class RateCounterRepository(Protocol):
    def hit(self, bucket: str, window_start: dt.datetime) -> int:
        """Count one event in the bucket's window and return the window's count so far."""
        ...

    def count(self, bucket: str, window_start: dt.datetime) -> int:
        """The events counted in the bucket's window."""
        ...

    def delete_before(self, window_start: dt.datetime) -> int:
        """Forget windows that started before the given time."""
        ...


class AuditLog(Protocol):
    def record(self, event: AuditEvent) -> None:
        """Append an event; events are never changed or removed."""
        ...

    def of_account(self, account_key: str, limit: int) -> list[AuditEvent]:
        """An account's most recent events, newest first."""
        ...


class OutboxRepository(Protocol):
    def add(self, message: OutboxMessage) -> bool:
        """Queue a message; False if a message with the same dedupe key exists, whatever its
        status: a logical message (a receipt for an account and period) is queued once."""
        ...

    def claim_due(self, now: dt.datetime, limit: int, lease: dt.timedelta) -> list[OutboxMessage]:
        """Take up to `limit` messages due for delivery (pending, or sending with an expired
        lease) and mark them sending until `now + lease`, oldest first; concurrent
        workers never claim the same message."""
        ...

    def mark_sent(self, message_id: str, at: dt.datetime) -> None:
        """Record a delivery."""
        ...

    def mark_failed(self, message_id: str, error: str, retry_at: dt.datetime | None) -> None:
        """Record a failed attempt; retry at `retry_at`, or give up when it is None."""
        ...

    def get(self, message_id: str) -> OutboxMessage | None:
        """The message with that id."""
        ...

    def recent(self, limit: int) -> list[OutboxMessage]:
        """The most recently queued messages, newest first."""
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
    sessions: SessionRepository
    rate_counters: RateCounterRepository
    audit: AuditLog
    outbox: OutboxRepository
    linked_accounts: LinkedAccountRepository
    directory: AccountDirectory
    payment_orders: PaymentOrderRepository
    registry_lines: RegistryLineRepository

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


@runtime_checkable
class UnitOfWorkFactory(Protocol):
    """Makes a fresh unit of work; `read_only=True` promises no writes, which lets an
    embedded database run it alongside a writer instead of queueing behind it."""

    def __call__(self, *, read_only: bool = False) -> UnitOfWork: ...


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

    def accounts_with(self, period: Period) -> set[str]:
        """The keys of the accounts that have a whole receipt for the period."""
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


class LinkedAccountRepository(Protocol):
    """Accounts linked to registrations (F20); links end with the registration they belong
    to, and a registration's own account is never among them."""

    def add(self, link: AccountLink) -> None:
        """Link an account to a registration; a pair already linked keeps its first link."""
        ...

    def remove(self, registration_key: str, account_key: str) -> bool:
        """Unlink an account from a registration; whether it was linked."""
        ...

    def of_registration(self, registration_key: str) -> list[AccountLink]:
        """A registration's links, oldest first (links made at once: by account)."""
        ...

    def is_linked(self, registration_key: str, account_key: str) -> bool:
        """Whether the account is linked to the registration."""
        ...

    def count_for_email(self, email_key: str) -> int:
        """How many links the registrations with this e-mail have (compared case-insensitively)."""
        ...


# --- operator support and service messages (F25, F26) ---


class AccountDirectory(Protocol):
    """What operators' commands read and void across accounts (F25, F26); searches and
    audiences are read in pages, so 100,000 accounts never sit in memory at once."""

    def find(self, query: AccountQuery, limit: int) -> list[AccountFound]:
        """At most `limit` accounts the query matches, by number."""
        ...

    def audience(self, audience: Audience, after_key: str, limit: int) -> AudiencePage:
        """The next at most `limit` members of the audience whose keys sort after
        `after_key` ("" for the first page), in key order."""
        ...

    def void_secrets(self, subject: str) -> int:
        """Spend every one-time secret of the subject not yet used (links and codes alike);
        return how many were still pending."""
        ...


# --- payments (F12, F24) ----------------------------------------------------------------


class PaymentOrderRepository(Protocol):
    """Payment orders; a provider's payment id belongs to one order only."""

    def add(self, order: PaymentOrder) -> None:
        """Store a new order."""
        ...

    def get(self, order_id: str) -> PaymentOrder | None:
        """The order with that id."""
        ...

    def by_provider_payment(self, provider: str, provider_payment_id: str) -> PaymentOrder | None:
        """The order a provider's payment belongs to."""
        ...

    def replace(self, order: PaymentOrder, expected: OrderStatus) -> bool:
        """Store the order's new state if its stored status is still `expected`; whether it
        was stored (False: another transaction changed it first, or no such order)."""
        ...

    def of_account(self, account_key: str, limit: int) -> list[PaymentOrder]:
        """An account's newest orders, newest first."""
        ...

    def get_many(self, order_ids: Sequence[str]) -> dict[str, PaymentOrder]:
        """The orders with these ids, by id; unknown ids are left out."""
        ...

    def pending_of(self, account_keys: Sequence[str]) -> list[PaymentOrder]:
        """The pending orders of these accounts, oldest first."""
        ...

    def created_before(self, moment: dt.datetime) -> list[PaymentOrder]:
        """Orders created before `moment`, oldest first."""
        ...


class RegistryLineRepository(Protocol):
    """Lines of bank registries already loaded, each once per bank and operation number."""

    def add_many(self, lines: Sequence[RegistryLine]) -> int:
        """Store lines not seen before; how many were new."""
        ...

    def known(self, bank: str, line_ids: Sequence[str]) -> set[str]:
        """Which of these operation numbers of the bank are loaded already."""
        ...

    def paid_on(self, day: dt.date) -> list[RegistryLine]:
        """The lines of payments made that day, by bank and operation number."""
        ...


class PaymentProvider(Protocol):
    """A payment service the resident is sent to (F12).

    `confirms` is True for an acquiring provider whose payments are confirmed by a
    server-to-server callback and `fetch`; redirect-only providers report through bank
    registries instead, and their `fetch` is never called.
    """

    @property
    def code(self) -> str:
        """The provider's key in forms and callbacks (`gorod`, `yookassa`)."""
        ...

    @property
    def name(self) -> str:
        """The name residents know it by."""
        ...

    @property
    def confirms(self) -> bool: ...

    @property
    def takes_readings(self) -> bool:
        """Whether the provider's page passes meter readings on."""
        ...

    def start(self, order: PaymentOrder, return_url: str) -> ProviderStart:
        """Where to send the resident to pay the order; raises ProviderUnavailable."""
        ...

    def fetch(self, provider_payment_id: str) -> PaymentNews:
        """The provider's own record of a payment; raises ProviderUnavailable."""
        ...


# --- receipts and month close (issue 6) ---


class ReceiptRenderer(Protocol):
    """Draws a receipt document as a PDF (F11)."""

    def render(self, document: ReceiptDocument) -> bytes:
        """The whole PDF file."""
        ...


class ReceiptBatchRunner(Protocol):
    """Makes the receipts of batches of accounts, maybe in several processes at once (F22)."""

    def run(self, period: Period, batches: Iterable[list[str]]) -> Iterator[int]:
        """Render, store and queue the e-mails of each batch (see `make_receipts`);
        yield each batch's size as it finishes, in any order."""
        ...
