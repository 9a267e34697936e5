"""The service API's router, mounted on the API's at `/api/v1/service`."""

from __future__ import annotations

from litestar import Router

from lk_web.api.service.accounts import ServiceAccountsController
from lk_web.api.service.auth import require_service_key
from lk_web.api.service.messages import ServiceMessagesController
from lk_web.api.service.readings import ServiceReadingsController
from lk_web.api.service.registries import ServiceRegistriesController

SERVICE_PATH = "/service"


def service_router() -> Router:
    """The service API's routes, to mount on the API's router."""
    return Router(
        path=SERVICE_PATH,
        route_handlers=[
            ServiceReadingsController,
            ServiceRegistriesController,
            ServiceMessagesController,
            ServiceAccountsController,
        ],
        guards=[require_service_key],
    )
