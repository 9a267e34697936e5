"""Ports: what the core needs from the outside world, as Protocols.

Adapters do not inherit from these; mypy checks that they conform and the contract
tests in `tests/contract/` check that they behave alike. One module per area (billing
data, access, messaging, receipts, payments, operator support, the unit of work); the
rest of the code imports them from here.
"""

from __future__ import annotations

from lk_core.ports.access import (
    AuditLog,
    ConsentRepository,
    LinkedAccountRepository,
    PasswordHasher,
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
    SourceFile,
)
from lk_core.ports.messaging import Mailer, OutboxRepository, SmsSender
from lk_core.ports.operator import AccountDirectory
from lk_core.ports.payments import PaymentOrderRepository, PaymentProvider, RegistryLineRepository
from lk_core.ports.receipts import ReceiptBatchRunner, ReceiptRenderer, ReceiptStore
from lk_core.ports.runtime import Clock, ProgressReporter, no_progress
from lk_core.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory

__all__ = [
    "AccountDirectory",
    "AccountRepository",
    "AuditLog",
    "Clock",
    "ConsentRepository",
    "HouseRepository",
    "LedgerRepository",
    "LinkedAccountRepository",
    "Mailer",
    "MeterRepository",
    "OutboxRepository",
    "PasswordHasher",
    "PaymentOrderRepository",
    "PaymentProvider",
    "PaymentRepository",
    "PeriodRepository",
    "ProgressReporter",
    "RateCounterRepository",
    "ReadingRepository",
    "ReceiptBatchRunner",
    "ReceiptRenderer",
    "ReceiptStore",
    "RegistrationRepository",
    "RegistryLineRepository",
    "SecretRepository",
    "ServiceRepository",
    "SessionRepository",
    "SmsSender",
    "SourceFile",
    "UnitOfWork",
    "UnitOfWorkFactory",
    "no_progress",
]
