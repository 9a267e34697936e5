"""The shared kernel: money in kopecks, billing periods, the base domain errors, the
company (payee), the policies, the clock and progress, the unit-of-work protocol
(`Transaction`, `UnitOfWorkFactory`) every capability's unit of work extends, and the
task queue (`TaskQueue`) background work is handed to.

Everything in `__all__` is public (see `docs/embedding.md` on versioning); other modules
and names are internal.
"""

from __future__ import annotations

from lk_core.kernel.company import Company, bank_account_is_valid, inn_is_valid
from lk_core.kernel.errors import (
    DomainError,
    InvalidValue,
    NotFound,
    PeriodAlreadyClosed,
    PeriodClosed,
)
from lk_core.kernel.money import Money, total
from lk_core.kernel.periods import MONTHS_RU, BillingPeriod, Period, PeriodStatus
from lk_core.kernel.policies import PasswordPolicy, Policies, ReadingPolicy, RegistrationPolicy
from lk_core.kernel.runtime import Clock, ProgressReporter, no_progress
from lk_core.kernel.tasks import TaskArgument, TaskQueue
from lk_core.kernel.transaction import Transaction, UnitOfWorkFactory

__all__ = [
    "MONTHS_RU",
    "BillingPeriod",
    "Clock",
    "Company",
    "DomainError",
    "InvalidValue",
    "Money",
    "NotFound",
    "PasswordPolicy",
    "Period",
    "PeriodAlreadyClosed",
    "PeriodClosed",
    "PeriodStatus",
    "Policies",
    "ProgressReporter",
    "ReadingPolicy",
    "RegistrationPolicy",
    "TaskArgument",
    "TaskQueue",
    "Transaction",
    "UnitOfWorkFactory",
    "bank_account_is_valid",
    "inn_is_valid",
    "no_progress",
    "total",
]
