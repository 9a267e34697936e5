"""Ports: what the core needs from the outside world, as Protocols.

Adapters do not inherit from these; mypy checks that they conform and the contract
tests in `tests/contract/` check that they behave alike. One module per area (billing
data, access, messaging, receipts, payments, operator support, the unit of work); the
rest of the code imports them from here.
"""

from __future__ import annotations

from lk_core.access.ports import (
    AuditLog,
    ConsentRepository,
    LinkedAccountRepository,
    PasswordHasher,
    RateCounterRepository,
    RegistrationRepository,
    SecretRepository,
    SessionRepository,
)
from lk_core.accounts.ports import AccountRepository, HouseRepository
from lk_core.billing_import.ports import SourceFile
from lk_core.kernel.runtime import Clock, ProgressReporter, no_progress
from lk_core.ledger.ports import LedgerRepository, PeriodRepository, ServiceRepository
from lk_core.messaging.ports import Mailer, OutboxRepository, SmsSender
from lk_core.operator.ports import AccountDirectory
from lk_core.payments.ports import (
    PaymentOrderRepository,
    PaymentProvider,
    PaymentRepository,
    RegistryLineRepository,
)
from lk_core.readings.ports import MeterRepository, ReadingRepository
from lk_core.receipts.ports import ReceiptBatchRunner, ReceiptRenderer, ReceiptStore
from lk_core.unit_of_work import UnitOfWork, UnitOfWorkFactory

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
