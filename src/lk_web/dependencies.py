"""What handlers receive from the composition root: one `portal` dependency.

One, not one per object: Litestar resolves a handler's independent dependencies side by
side in an anyio task group, which cost 0.1 ms a request on the main page (ADR 0032).
"""

from __future__ import annotations

from typing import Any

import attrs
from litestar.connection import ASGIConnection
from litestar.di import NamedDependency, Provide
from sqlalchemy import Engine

from lk_adapters.payments import AcquirerBook
from lk_adapters.portal_unit_of_work import PortalUnitOfWorkFactory
from lk_core.access.context import AccessContext
from lk_core.home.context import HomeContext
from lk_core.ledger.context import LedgerContext
from lk_core.payments.online_payment import PaymentContext
from lk_core.personal_data.context import PersonalDataContext
from lk_core.readings.context import ReadingsContext
from lk_core.receipts.context import ReceiptsContext
from lk_core.requests.context import RequestsContext
from lk_web.api.service.wiring import ServiceWiring
from lk_web.client import ClientFacts
from lk_web.static_assets import StaticAssets


@attrs.frozen
class Services:
    """The objects handlers use, made once by `create_app` from the container."""

    access: AccessContext
    home: HomeContext
    personal_data: PersonalDataContext
    ledger: LedgerContext
    readings: ReadingsContext
    receipts: ReceiptsContext
    client: ClientFacts
    payments: PaymentContext
    # The receipt store: a Protocol that is not runtime-checkable, so typed loosely.
    receipt_store: Any
    uow_factory: PortalUnitOfWorkFactory
    engine: Engine
    demo_acquirer: AcquirerBook | None
    # Whether reads may run on the event loop: an embedded database (SQLite) answers a
    # read-only unit of work in a fraction of a millisecond and never waits for a writer.
    reads_on_loop: bool
    requests: RequestsContext
    # --- JSON API (F28): the company, for the payment QR payload (its requisites).
    company: Any = None
    # --- service API (F28): keys, idempotent requests and what its handlers call ---
    service: ServiceWiring | None = None
    # The installable app (ADR 0067): static files at versioned addresses, the company's
    # name and colour for the manifest and icons.
    static_assets: StaticAssets = StaticAssets({})
    app_name: str = ""
    app_colour: str = "#0b5cad"


Portal = NamedDependency[Services]


def services_of(connection: ASGIConnection[Any, Any, Any, Any]) -> Services:
    """What `create_app` put in its one `portal` dependency (guards get no dependencies)."""
    provider = connection.app.dependencies["portal"]
    services = provider.dependency() if isinstance(provider, Provide) else provider()
    assert isinstance(services, Services)
    return services
