"""`create_app()`: the Litestar application, built from the composition root."""

from __future__ import annotations

from pathlib import Path

from litestar import Litestar
from litestar.contrib.jinja import JinjaTemplateEngine
from litestar.di import Provide
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

from lk_adapters.container import Container, build_container
from lk_adapters.settings import load_settings
from lk_adapters.sqlalchemy.migrations import upgrade_database
from lk_web.controllers.health import HealthController
from lk_web.controllers.start import StartController
from lk_web.security_headers import SecurityHeadersMiddleware

HERE = Path(__file__).parent


def create_app(container: Container | None = None) -> Litestar:
    """The portal; with no container given, one built from the environment."""
    if container is None:
        container = build_container(load_settings())
        upgrade_database(container.engine())
    company = container.company()
    return Litestar(
        route_handlers=[
            StartController,
            HealthController,
            create_static_files_router(path="/static", directories=[HERE / "static"]),
        ],
        dependencies={
            "uow_factory": Provide(lambda: container.uow_factory(), sync_to_thread=False),
            "engine": Provide(lambda: container.engine(), sync_to_thread=False),
            "company": Provide(lambda: company, sync_to_thread=False),
        },
        template_config=TemplateConfig(directory=HERE / "templates", engine=JinjaTemplateEngine),
        middleware=[SecurityHeadersMiddleware],
        debug=False,
    )
