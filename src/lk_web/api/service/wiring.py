"""What the service API's handlers need from the composition root, made once by `create_app`."""

from __future__ import annotations

import zoneinfo

import attrs

from lk_adapters.container import Container
from lk_adapters.portal_unit_of_work import PortalUnitOfWorkFactory
from lk_core.kernel.runtime import Clock
from lk_core.payments.online_payment import PaymentContext
from lk_core.service_api import ServiceApiContext


@attrs.frozen
class ServiceWiring:
    """Keys and idempotent requests, storage, the clock and time zone, payments, the banks'
    registry formats and the company's name (for service messages)."""

    api: ServiceApiContext
    uow_factory: PortalUnitOfWorkFactory
    clock: Clock
    time_zone: zoneinfo.ZoneInfo
    payments: PaymentContext
    banks: dict[str, str]
    company_name: str


def service_wiring(container: Container) -> ServiceWiring:
    return ServiceWiring(
        api=container.service_api(),
        uow_factory=container.uow_factory(),
        clock=container.clock(),
        time_zone=container.time_zone(),
        payments=container.payments(),
        banks=dict(container.settings().payments.banks),
        company_name=container.company().name,
    )
