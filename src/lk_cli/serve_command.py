"""`lk serve`: the web portal."""

from __future__ import annotations

import os

import click
import uvicorn

from lk_adapters.sqlalchemy.migrations import upgrade_database
from lk_cli.context import container_from_environment


@click.command("serve")
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Адрес для входящих соединений."
)
@click.option("--port", default=8000, show_default=True, type=int, help="Порт.")
@click.option(
    "--workers", default=1, show_default=True, type=click.IntRange(1, 64), help="Процессов."
)
def serve(host: str, port: int, workers: int) -> None:
    """Запустить портал (личный кабинет)."""
    # The worker processes read the same settings: they share the cores for argon2.
    os.environ["LK_WEB_WORKERS"] = str(workers)
    container = container_from_environment()
    upgrade_database(container.engine())
    click.echo(f"Личный кабинет: http://{host}:{port}/")
    # The app is named by import path so that the CLI never imports the web edge.
    uvicorn.run(
        "lk_web.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        proxy_headers=False,
    )
