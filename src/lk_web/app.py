"""`create_app()`: the Litestar application, built from the composition root."""

from __future__ import annotations

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
from lk_adapters.settings import load_settings
from lk_adapters.sqlalchemy.engine import database_is_embedded
from lk_adapters.sqlalchemy.migrations import upgrade_database
from lk_core.kernel.errors import NotFound
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
from lk_web.controllers.sign_in import SignInController
from lk_web.demo_delivery import DemoDelivery
from lk_web.dependencies import Services
from lk_web.error_pages import http_error, not_found, server_error
from lk_web.navigation import nav_links
from lk_web.origin_check import OriginCheckMiddleware
from lk_web.request_logging import RequestContextMiddleware, log_response
from lk_web.resident import SignedOut, resolve_resident, send_to_front_page
from lk_web.security_headers import security_headers
from lk_web.static_assets import StaticAssets

HERE = Path(__file__).parent
# Provider callbacks are authenticated by signature, not by a browser's CSRF token.
# --- payments: callbacks are authenticated by re-fetching the payment from the provider;
# the demo acquirer's API (demo mode only) is called server to server, like YooKassa's.
CSRF_EXEMPT = ("/api/v1/payments/callbacks/", "/demo/acquiring/v3/")


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
        create_static_files_router(
            path="/static",
            directories=[HERE / "static"],
            cache_control=CacheControlHeader(no_cache=True),
        ),
        AppAssetsController,
    ]
    if demo:
        handlers += [DemoOutboxController, DemoProviderController]
    if demo_acquirer:
        handlers.append(DemoAcquiringController)
    return handlers


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
        static_assets=static_assets,
        app_name=company.name,
        app_colour=settings.company.colour,
    )
    csrf_secret = hashlib.sha256(
        ("lk-csrf:" + (settings.secret_key or "demo")).encode()
    ).hexdigest()
    return Litestar(
        route_handlers=handlers,
        dependencies={
            "portal": Provide(lambda: services, sync_to_thread=False),
            "resident": Provide(resolve_resident),
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
        before_send=[security_headers(settings.uses_https), log_response],
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
            NotFound: not_found,
            HTTPException: http_error,
            Exception: server_error,
        },
        # No OpenAPI document of the HTML pages: Litestar's /schema would list every form
        # (demo routes included) in every mode, and its viewers load scripts from CDNs.
        # The JSON API (F28) will publish a schema of its own.
        openapi_config=None,
        on_startup=on_startup,
        on_shutdown=on_shutdown,
        debug=False,
    )
