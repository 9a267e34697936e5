"""What the service API's use cases are given."""

from __future__ import annotations

import attrs

from lk_core.kernel.runtime import Clock
from lk_core.kernel.transaction import UnitOfWorkFactory
from lk_core.service_api.ports import ServiceApiUnitOfWork


@attrs.frozen
class ServiceApiContext:
    """Units of work over keys, idempotent requests and the audit log, and the clock."""

    uow_factory: UnitOfWorkFactory[ServiceApiUnitOfWork]
    clock: Clock
