"""The unit of work: one transaction over every repository."""

from __future__ import annotations

from types import TracebackType
from typing import Protocol, Self, runtime_checkable

from lk_core.access.ports import (
    AuditLog,
    ConsentRepository,
    LinkedAccountRepository,
    RateCounterRepository,
    RegistrationRepository,
    SecretRepository,
    SessionRepository,
)
from lk_core.accounts.ports import AccountRepository, HouseRepository
from lk_core.ledger.ports import LedgerRepository, PeriodRepository, ServiceRepository
from lk_core.messaging.ports import OutboxRepository
from lk_core.operator.ports import AccountDirectory
from lk_core.payments.ports import PaymentOrderRepository, PaymentRepository, RegistryLineRepository
from lk_core.readings.ports import MeterRepository, ReadingRepository


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
