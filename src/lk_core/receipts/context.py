"""What the residents' receipt use cases are given."""

from __future__ import annotations

import attrs

from lk_core.kernel.transaction import UnitOfWorkFactory
from lk_core.receipts.ports import ReceiptsUnitOfWork


@attrs.frozen
class ReceiptsContext:
    """Storage, and how many of the latest receipts a resident is shown."""

    uow_factory: UnitOfWorkFactory[ReceiptsUnitOfWork]
    shown: int = 3
