"""What the ledger's use cases are given."""

from __future__ import annotations

import attrs

from lk_core.kernel.transaction import UnitOfWorkFactory
from lk_core.ledger.ports import LedgerUnitOfWork


@attrs.frozen
class LedgerContext:
    """Storage of accounts, services and ledger lines."""

    uow_factory: UnitOfWorkFactory[LedgerUnitOfWork]
