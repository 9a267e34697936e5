"""The unit of work: one transaction over every repository."""

from __future__ import annotations

from types import TracebackType
from typing import Protocol, Self, runtime_checkable

from lk_core.ports.access import (
    AuditLog,
    ConsentRepository,
    LinkedAccountRepository,
    RateCounterRepository,
    RegistrationRepository,
    SecretRepository,
    SessionRepository,
)
from lk_core.ports.billing import (
    AccountRepository,
    HouseRepository,
    LedgerRepository,
    MeterRepository,
    PaymentRepository,
    PeriodRepository,
    ReadingRepository,
    ServiceRepository,
)
from lk_core.ports.messaging import OutboxRepository
from lk_core.ports.operator import AccountDirectory
from lk_core.ports.payments import PaymentOrderRepository, RegistryLineRepository


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
