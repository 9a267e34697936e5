"""`create_app()`: the Litestar application, built from the composition root."""

from __future__ import annotations

import gc
import hashlib
from pathlib import Path

from litestar import Litestar
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import CacheControlHeader
from litestar.di import Provide
from litestar.exceptions import HTTPException
from litestar.middleware import DefineMiddleware
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig
from litestar.types import ControllerRouterHandler

from lk_adapters.container import Container, build_container
from lk_adapters.logging import configure_logging
from lk_adapters.metrics.pool import watch_pool
from lk_adapters.settings import load_settings
from lk_adapters.sqlalchemy.engine import database_is_embedded
from lk_adapters.sqlalchemy.migrations import upgrade_database
from lk_core.kernel.errors import NotFound
from lk_web.api.accounts import AccountsController
from lk_web.api.cors import api_cors
from lk_web.api.openapi import API_PATH, openapi_config
from lk_web.api.payments import PaymentsController
from lk_web.api.personal import AccountSecurityController, PersonalController
from lk_web.api.readings import ReadingsController as ApiReadingsController
from lk_web.api.registration import PasswordResetController as PasswordResetApiController
from lk_web.api.registration import RegistrationController as RegistrationApiController
from lk_web.api.router import api_router
from lk_web.api.service.router import service_router
from lk_web.api.service.wiring import service_wiring
from lk_web.api.service_requests import (
    RequestCategoriesController as ApiRequestCategoriesController,
)
from lk_web.api.service_requests import ServiceRequestsController as ApiServiceRequestsController
from lk_web.api.tokens import DevicesController, TokensController
from lk_web.client import ClientFacts
from lk_web.controllers.accounts import AccountSwitchController
from lk_web.controllers.app_assets import AppAssetsController
from lk_web.controllers.demo_acquiring import DemoAcquiringController, DemoProviderController
from lk_web.controllers.demo_outbox import DemoOutboxController
from lk_web.controllers.health import HealthController
from lk_web.controllers.home import HomeController
from lk_web.controllers.info_pages import InfoController
from lk_web.controllers.password_reset import PasswordResetController
from lk_web.controllers.payment_callbacks import (
    PaymentCallbackController,
    log_verification,
    log_verifier_failure,
)
from lk_web.controllers.payments import PaymentController
from lk_web.controllers.personal_data import PersonalDataController
from lk_web.controllers.readings import ReadingsController
from lk_web.controllers.receipts import ReceiptsController, receipts_for_template
from lk_web.controllers.registration import RegistrationController
from lk_web.controllers.service_requests import ServiceRequestsController
from lk_web.controllers.sign_in import SignInController
from lk_web.demo_delivery import DemoDelivery
from lk_web.dependencies import Services
from lk_web.error_pages import http_error, not_found, server_error
from lk_web.metrics import record_response
from lk_web.navigation import nav_links
from lk_web.office.announcements import AnnouncementsController
from lk_web.office.desk import OfficeController
from lk_web.office.desk_requests import DeskRequestsController
from lk_web.office.edge import (
    OfficeServices,
    StaffCookie,
    StaffSignedOut,
    resolve_staff,
    send_to_office_sign_in,
)
from lk_web.office.sign_in import OfficeSignInController
from lk_web.origin_check import OriginCheckMiddleware
from lk_web.request_logging import RequestContextMiddleware, log_response
from lk_web.resident import SignedOut, resolve_resident, send_to_front_page
from lk_web.security_headers import security_headers
from lk_web.static_assets import StaticAssets
from lk_web.views.site_footer import site_footer

HERE = Path(__file__).parent
# Provider callbacks are authenticated by signature, not by a browser's CSRF token.
# --- payments: callbacks are authenticated by re-fetching the payment from the provider;
# the demo acquirer's API (demo mode only) is called server to server, like YooKassa's.
CSRF_EXEMPT: tuple[str, ...] = ("/api/v1/payments/callbacks/", "/demo/acquiring/v3/")
# --- JSON API v1 (F28): authenticated by a bearer token a browser never sends by itself,
# never by the session cookie, so neither CSRF tokens nor the origin check apply (ADR 0060).
CSRF_EXEMPT += (API_PATH + "/",)
API_CONTROLLERS: list[ControllerRouterHandler] = [
    TokensController,
    DevicesController,
    AccountsController,
    ApiReadingsController,
    PaymentsController,
    PersonalController,
    AccountSecurityController,
    RegistrationApiController,
    PasswordResetApiController,
]
API_CONTROLLERS += [ApiRequestCategoriesController, ApiServiceRequestsController]  # F30
API_CONTROLLERS.append(service_router())  # service API (F28): /api/v1/service/…


def portal_routes(*, demo: bool, demo_acquirer: bool) -> list[ControllerRouterHandler]:
    """Every route of the portal: the demo pages only in demo mode, the demo acquirer's
    only when it stands in for YooKassa."""
    handlers: list[ControllerRouterHandler] = [
        SignInController,
        RegistrationController,
        PasswordResetController,
        HomeController,
        PersonalDataController,
        ReadingsController,
        AccountSwitchController,
        InfoController,
        HealthController,
        PaymentController,
        PaymentCallbackController,
        ReceiptsController,
        ServiceRequestsController,
        create_static_files_router(
            path="/static",
            directories=[HERE / "static"],
            cache_control=CacheControlHeader(no_cache=True),
        ),
        AppAssetsController,
        # --- the staff's desk (F31, F32)
        OfficeSignInController,
        OfficeController,
        AnnouncementsController,
        DeskRequestsController,
        api_router(API_CONTROLLERS),
    ]
    if demo:
        handlers += [DemoOutboxController, DemoProviderController]
    if demo_acquirer:
        handlers.append(DemoAcquiringController)
    return handlers


def create_served_app(container: Container | None = None) -> Litestar:
    """The portal as `lk serve` runs it in each worker process: `create_app`, and once
    started the objects it is made of frozen out of the garbage collector's walks."""
    app = create_app(container)
    app.on_startup.append(freeze_the_startup_heap)
    return app


def freeze_the_startup_heap() -> None:
    """About 200,000 objects made while starting (modules, the container, routes,
    templates' machinery) live as long as the process; left in the collector's oldest
    generation they were walked by every full collection, a pause of 100 to 430 ms in
    which a worker answered nothing, the main page's slowest percent (ADR 0073). Garbage
    is collected first, so that none is kept for good."""
    gc.collect()
    gc.freeze()


def create_app(container: Container | None = None) -> Litestar:
    """The portal; with no container given, one built from the environment."""
    if container is None:
        container = build_container(load_settings())
        upgrade_database(container.engine())
    configure_logging()
    settings = container.settings()
    company = container.company()
    access = container.access()
    payments = container.payments()
    client = ClientFacts(
        https=settings.uses_https,
        behind_proxy=settings.behind_proxy,
    )
    demo_acquirer = container.demo_acquirer()
    handlers = portal_routes(demo=settings.demo, demo_acquirer=demo_acquirer is not None)
    static_assets = StaticAssets.of_folder(HERE / "static")
    receipt_panel = receipts_for_template(container.receipts(), container.receipt_store(), company)
    on_startup = []
    on_shutdown = []
    if settings.demo:
        delivery = DemoDelivery(container)
        on_startup.append(delivery.start)
        on_shutdown.append(delivery.stop)
    if settings.payments.verify_in_process:  # else `lk payments verify` runs apart (ADR 0053)
        verifier = container.payment_verifier()
        on_startup.append(lambda: verifier.start(log_verification, log_verifier_failure))
        on_shutdown.append(lambda: verifier.stop())

    def template_globals(engine: JinjaTemplateEngine) -> None:
        engine.engine.globals.update(company=company, demo=settings.demo)
        engine.engine.globals.update(receipts_panel=receipt_panel)
        engine.engine.globals.update(asset=static_assets.urls.__getitem__)
        engine.engine.globals.update(theme_colour=settings.company.colour)
        engine.engine.globals.update(nav_links=nav_links)
        engine.engine.globals.update(site_footer=site_footer)
        # Templates ship with the package: checking their files on every render is
        # wasted work on the hot path (demo mode keeps it, for editing templates live).
        engine.engine.auto_reload = settings.demo

    services = Services(
        access=access,
        home=container.home(),
        personal_data=container.personal_data(),
        ledger=container.ledger(),
        readings=container.readings(),
        receipts=container.receipts(),
        client=client,
        payments=payments,
        receipt_store=container.receipt_store(),
        uow_factory=container.uow_factory(),
        engine=container.engine(),
        demo_acquirer=demo_acquirer,
        reads_on_loop=database_is_embedded(settings.database_url),
        company=company,
        service=service_wiring(container),
        requests=container.requests(),
        static_assets=static_assets,
        app_name=company.name,
        app_colour=settings.company.colour,
    )
    office = OfficeServices(
        staff=container.staff(),
        announcements=container.announcements(),
        cookie=StaffCookie(https=settings.uses_https),
        requests=services.requests,
        views_audit=container.views_uow_factory(),
    )
    before_send = [security_headers(settings.uses_https), log_response]
    if settings.metrics.port:  # ADR 0056: only when `lk serve` answers the metrics
        before_send.append(record_response)
        watch_pool(container.engine())
    csrf_secret = hashlib.sha256(
        ("lk-csrf:" + (settings.secret_key or "demo")).encode()
    ).hexdigest()
    return Litestar(
        route_handlers=handlers,
        dependencies={
            "portal": Provide(lambda: services, sync_to_thread=False),
            "resident": Provide(resolve_resident),
            "office": Provide(lambda: office, sync_to_thread=False),
            "staff": Provide(resolve_staff),
        },
        template_config=TemplateConfig(
            directory=HERE / "templates",
            engine=JinjaTemplateEngine,
            engine_callback=template_globals,
        ),
        csrf_config=CSRFConfig(
            secret=csrf_secret,
            cookie_name="__Host-lk_csrf" if settings.uses_https else "lk_csrf",
            cookie_secure=settings.uses_https,
            cookie_samesite="lax",
            cookie_httponly=True,
            exclude=list(CSRF_EXEMPT),
        ),
        before_send=before_send,
        middleware=[
            RequestContextMiddleware,
            DefineMiddleware(
                OriginCheckMiddleware,
                allowed_origin=settings.base_url,
                exempt_prefixes=CSRF_EXEMPT,
                loopback=settings.demo,
            ),
        ],
        exception_handlers={
            SignedOut: send_to_front_page,
            StaffSignedOut: send_to_office_sign_in,
            NotFound: not_found,
            HTTPException: http_error,
            Exception: server_error,
        },
        # Logging is configured once for both edges (lk_adapters.logging): Litestar's own
        # would put a second, plain-text handler on the root logger.
        logging_config=None,
        # No OpenAPI document of the HTML pages (Litestar's /schema would list every form,
        # demo routes included, and its viewers load scripts from CDNs): every route is
        # left out of the schema but the JSON API's, whose document is the only one served,
        # at /api/v1/openapi.json (ADR 0060).
        openapi_config=openapi_config("1.0.0"),
        include_in_schema=False,
        cors_config=api_cors(settings.api.cors_origins),
        on_startup=on_startup,
        on_shutdown=on_shutdown,
        debug=False,
    )
