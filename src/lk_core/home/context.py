"""What the main page's use case is given."""

from __future__ import annotations

import attrs

from lk_core.access.context import AccessContext
from lk_core.home.ports import HomeUnitOfWork
from lk_core.kernel.transaction import UnitOfWorkFactory


@attrs.frozen
class HomeContext:
    """Access (who is looking), and storage that also holds settlements and orders."""

    access: AccessContext
    uow_factory: UnitOfWorkFactory[HomeUnitOfWork]
