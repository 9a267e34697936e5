"""The ledger (F9): services, billing periods, ledger lines per account, period and
service, and an account's settlements for a period. Use cases take a `LedgerContext`.

Everything in `__all__` is public (see `docs/embedding.md` on versioning); other modules
and names are internal.
"""

from __future__ import annotations

from lk_core.ledger.context import LedgerContext
from lk_core.ledger.errors import LedgerIdentityBroken
from lk_core.ledger.lines import ZERO, LedgerLine, LedgerRow, Settlement
from lk_core.ledger.ports import (
    LedgerRepository,
    LedgerUnitOfWork,
    PeriodRepository,
    ServiceCatalogue,
    ServiceRepository,
)
from lk_core.ledger.services import Service
from lk_core.ledger.settlements import (
    BalanceKind,
    ServiceSettlement,
    SettlementView,
    settlement_page,
    settlements_of,
)

__all__ = [
    "ZERO",
    "BalanceKind",
    "LedgerContext",
    "LedgerIdentityBroken",
    "LedgerLine",
    "LedgerRepository",
    "LedgerRow",
    "LedgerUnitOfWork",
    "PeriodRepository",
    "Service",
    "ServiceCatalogue",
    "ServiceRepository",
    "ServiceSettlement",
    "Settlement",
    "SettlementView",
    "settlement_page",
    "settlements_of",
]
