"""What handlers receive from the composition root: one `portal` dependency.

One, not one per object: Litestar resolves a handler's independent dependencies side by
side in an anyio task group, which cost 0.1 ms a request on the main page (ADR 0032).
"""

from __future__ import annotations

from typing import Any

import attrs
from litestar.di import NamedDependency
from sqlalchemy import Engine

from lk_adapters.payments import AcquirerBook
from lk_core.access.context import AccessContext
from lk_core.payments.online_payment import PaymentContext
from lk_core.unit_of_work import UnitOfWorkFactory
from lk_web.client import ClientFacts


@attrs.frozen
class Services:
    """The objects handlers use, made once by `create_app` from the container."""

    access: AccessContext
    client: ClientFacts
    payments: PaymentContext
    # The receipt store (issue 6); a Protocol that is not runtime-checkable, so typed loosely.
    receipts: Any
    uow_factory: UnitOfWorkFactory
    engine: Engine
    demo_acquirer: AcquirerBook | None
    # Whether reads may run on the event loop: an embedded database (SQLite) answers a
    # read-only unit of work in a fraction of a millisecond and never waits for a writer.
    reads_on_loop: bool


Portal = NamedDependency[Services]
