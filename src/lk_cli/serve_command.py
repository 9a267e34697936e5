"""`lk serve`: the web portal.

The listening socket is opened here, before uvicorn starts, so that a busy port is told
in Russian with the configuration exit code, the address is printed only once the portal
listens, and in demo mode the portal's address is the one it really listens on.
"""

from __future__ import annotations

import errno
import os
import signal
import socket
from pathlib import Path
from urllib.parse import urlsplit
from wsgiref.simple_server import WSGIServer

import click
import uvicorn
from uvicorn.supervisors import Multiprocess

from lk_adapters.container import Container
from lk_adapters.metrics.multiprocess import (
    remove_multiprocess_directory,
    use_multiprocess_directory,
)
from lk_adapters.settings import Settings
from lk_adapters.sqlalchemy.migrations import upgrade_database
from lk_cli.context import EXIT_CONFIG_ERROR, container_from_environment

BACKLOG = 2048
# Addresses that mean "every interface": a browser on this machine uses loopback.
ANY_ADDRESS = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}  # noqa: S104
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@click.command("serve")
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Адрес для входящих соединений."
)
@click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Порт."
)
@click.option(
    "--workers", default=1, show_default=True, type=click.IntRange(1, 64), help="Процессов."
)
def serve(host: str, port: int, workers: int) -> None:
    """Запустить портал (личный кабинет)."""
    # The worker processes read the same settings: they share the cores for argon2.
    os.environ["LK_WEB_WORKERS"] = str(workers)
    container = container_from_environment()
    settings = container.settings()
    listener = listening_socket(host, port)
    port = listener.getsockname()[1]  # --port 0: the one the system chose
    listening = url_of("http", host, port)
    if settings.demo and settings.base_url == Settings().base_url:
        # A newcomer's `lk serve --port N`: the links in the demo outbox and the forms'
        # origin check follow the address served. The app reads it from the environment.
        os.environ["LK_BASE_URL"] = listening
        base_url = listening
    else:
        base_url = settings.base_url
        if not addresses_agree(base_url, host, port, demo=settings.demo):
            click.secho(disagreement(base_url, listening), fg="yellow", err=True)
    upgrade_database(container.engine())
    metrics = start_metrics(container) if settings.metrics.port else None
    if metrics is not None:
        # uvicorn re-raises SIGTERM once it has shut down gracefully: as an exception it
        # lets the metrics folder be removed on the way out.
        signal.signal(signal.SIGTERM, exit_on_sigterm)
    shown = base_url.rstrip("/") + "/"
    if shown != listening + "/":
        shown += f" (сервер слушает {listening}/)"
    click.echo(f"Личный кабинет: {shown}")
    config = uvicorn.Config(
        # The app is named by import path so that the CLI never imports the web edge.
        "lk_web.app:create_served_app",
        factory=True,
        workers=workers,
        log_level="warning",
        log_config=None,  # uvicorn's own lines go through ours: JSON off a terminal
        proxy_headers=False,
        server_header=False,
    )
    try:
        if workers > 1:
            Multiprocess(config, sockets=[listener]).run()
        else:
            uvicorn.Server(config).run(sockets=[listener])
    except KeyboardInterrupt:
        pass
    finally:
        if metrics is not None:
            metrics.stop()


def exit_on_sigterm(_signal: int, _frame: object) -> None:
    raise SystemExit(0)


class MetricsServer:
    """The metrics port's server and the folder the web processes write their metrics to."""

    def __init__(self, server: WSGIServer, folder: Path) -> None:
        self.server = server
        self.folder = folder

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        remove_multiprocess_directory(self.folder)


def start_metrics(container: Container) -> MetricsServer:
    """Answer Prometheus on LK_METRICS_HOST:LK_METRICS_PORT, apart from the portal's port
    (ADR 0056); every web process writes its metrics to one folder for it."""
    settings = container.settings().metrics
    folder = use_multiprocess_directory()  # before prometheus_client is first imported
    from lk_adapters.metrics.exposition import metrics_registry, serve_metrics

    registry = metrics_registry(folder, container.engine(), container.clock().now)
    try:
        server = serve_metrics(settings.host, settings.port, registry)
    except OSError as error:
        remove_multiprocess_directory(folder)
        message = cannot_listen(settings.host, settings.port, error)
        click.secho(f"LK_METRICS_PORT: {message}", fg="red", err=True)
        raise SystemExit(EXIT_CONFIG_ERROR) from None
    port = server.server_address[1]
    click.echo(f"Метрики Prometheus: {url_of('http', settings.host, port)}/metrics")
    return MetricsServer(server, folder)


def url_of(scheme: str, host: str, port: int) -> str:
    """The address a browser on this machine opens for a server bound to host:port."""
    host = ANY_ADDRESS.get(host, host)
    shown = f"[{host}]" if ":" in host else host
    return f"{scheme}://{shown}:{port}"


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to host:port and listening (as uvicorn binds one); a port that is
    taken, not ours to take, or an address that is not this machine's ends the command
    with a message saying which, and the configuration exit code."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((host, port))
        listener.listen(BACKLOG)
    except OSError as error:
        listener.close()
        click.secho(cannot_listen(host, port, error), fg="red", err=True)
        raise SystemExit(EXIT_CONFIG_ERROR) from None
    listener.set_inheritable(True)
    return listener


def cannot_listen(host: str, port: int, error: OSError) -> str:
    where = f"{host}:{port}"
    if error.errno == errno.EADDRINUSE:
        return (
            f"Порт {port} на адресе {host} уже занят: наверное, портал или другая программа "
            f"уже запущены. Остановите их или выберите другой порт: lk serve --port {port + 1} "
            f"(make demo PORT={port + 1})."
        )
    if error.errno == errno.EACCES:
        return (
            f"Нет прав слушать {where}: порты до 1024 открывает только администратор. "
            "Выберите порт от 1024, например --port 8000."
        )
    if error.errno == errno.EADDRNOTAVAIL or isinstance(error, socket.gaierror):
        return (
            f"Адреса {host} у этой машины нет. Укажите --host 127.0.0.1 (только для этой "
            "машины) или --host 0.0.0.0 (для всех её адресов)."
        )
    return f"Не удалось слушать {where}: {error.strerror or error}."


def _origin(url: str) -> tuple[str, str, int]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or "").lower(), parts.port or (443 if scheme == "https" else 80)


def addresses_agree(base_url: str, host: str, port: int, *, demo: bool) -> bool:
    """Whether a browser at LK_BASE_URL reaches this server directly: plain HTTP on the
    port served, at the host served (any host when serving on every interface; in demo
    mode, any loopback name when serving on loopback)."""
    scheme, base_host, base_port = _origin(base_url)
    if scheme != "http" or base_port != port:
        return False
    served = host.strip("[]").lower()
    if served in ANY_ADDRESS or base_host == served:
        return True
    return demo and base_host in LOOPBACK and served in LOOPBACK


def disagreement(base_url: str, listening: str) -> str:
    return (
        f"Внимание: адрес портала LK_BASE_URL ({base_url}) не совпадает с адресом, который "
        f"слушает сервер ({listening}). Формы принимаются только со страниц {base_url}, "
        "туда же ведут ссылки в письмах. За обратным прокси (nginx и т. п.), который "
        "принимает запросы по этому адресу, так и должно быть. Если прокси нет, задайте "
        f"LK_BASE_URL={listening} или запустите lk serve с --host и --port из LK_BASE_URL."
    )
