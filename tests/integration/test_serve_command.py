"""`lk serve` as a newcomer runs it: on another port, on a busy one, behind a proxy."""

from __future__ import annotations

import html
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import attrs
import httpx
import pytest

from access_fixtures import PASSWORD, load_accounts, some_accounts
from company_env import A_COMPANY
from lk_adapters.sqlalchemy.engine import make_engine
from lk_adapters.sqlalchemy.migrations import upgrade_database
from lk_adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWorkFactory

LK = [sys.executable, "-c", "from lk_cli.main import cli; cli()"]
START_SECONDS = 30
CSRF_INPUT = re.compile(r'name="_csrf_token" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def environment(folder: Path, **settings: str) -> dict[str, str]:
    """The test's environment without its LK_ settings, and a SQLite file with accounts."""
    url = f"sqlite:///{folder / 'lk.sqlite3'}"
    engine = make_engine(url)
    try:
        upgrade_database(engine)
        load_accounts(SqlAlchemyUnitOfWorkFactory(engine), some_accounts())
    finally:
        engine.dispose()
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("LK_")},
        "LK_DATABASE_URL": url,
        "LK_RECEIPTS_FOLDER": str(folder / "receipts"),
        **settings,
    }


@attrs.frozen
class Server:
    """A running `lk serve` and what it has printed so far."""

    process: subprocess.Popen[bytes]
    port: int
    folder: Path

    @property
    def output(self) -> str:
        return (self.folder / "stdout").read_text()

    @property
    def errors(self) -> str:
        return (self.folder / "stderr").read_text()


Serve = Callable[..., Server]


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Serve]:
    """`serve(env, port=None)`: `lk serve --port <port or a free one>`, answering /healthz."""
    servers: list[Server] = []

    def start(env: dict[str, str], port: int | None = None) -> Server:
        port = port or free_port()
        folder = tmp_path / f"server{len(servers)}"
        folder.mkdir()
        with (folder / "stdout").open("wb") as out, (folder / "stderr").open("wb") as err:
            process = subprocess.Popen([*LK, "serve", "--port", str(port)], env=env, stdout=out,
                                       stderr=err)  # fmt: skip
        server = Server(process, port, folder)
        servers.append(server)
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"lk serve exited with {process.returncode}: {server.errors}")
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    return server
            except httpx.TransportError:
                time.sleep(0.1)
        pytest.fail(f"lk serve did not answer in {START_SECONDS} s: {server.errors}")

    yield start
    for server in servers:
        server.process.terminate()
        try:
            server.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()


def post_form(
    client: httpx.Client, path: str, data: dict[str, str], page: str = "/"
) -> httpx.Response:
    """A form of `page` sent from that page, as a browser at the client's address does."""
    token = CSRF_INPUT.search(client.get(page).text)
    assert token is not None
    origin = str(client.base_url).rstrip("/")
    return client.post(
        path,
        data={**data, "_csrf_token": token[1]},
        headers={"Origin": origin, "Referer": origin + page},
    )


def test_the_demo_on_another_port_takes_forms_at_localhost_and_its_links_lead_to_that_port(
    tmp_path: Path, serve: Serve
) -> None:
    server = serve(environment(tmp_path, LK_DEMO="1"))
    port = server.port

    assert f"Личный кабинет: http://127.0.0.1:{port}/" in server.output
    with httpx.Client(base_url=f"http://localhost:{port}", timeout=10) as browser:
        visit = post_form(browser, "/first-visit", {"account": "100235", "surname": "Семёнов"})
        assert visit.status_code == 303
        registration = {
            "surname": "Семёнов",
            "email": "semenov@mail.ru",
            "password": PASSWORD,
            "confirmation": PASSWORD,
            "consent": "yes",
        }
        sent = post_form(browser, "/register", registration, page="/register")
        assert "Проверьте почту" in sent.text
        outbox = html.unescape(browser.get("/demo/outbox").text)

    assert f'href="http://127.0.0.1:{port}/register/confirm/' in outbox


def test_responses_do_not_name_the_server_software_but_keep_the_date(
    tmp_path: Path, serve: Serve
) -> None:
    server = serve(environment(tmp_path, LK_DEMO="1"))

    response = httpx.get(f"http://127.0.0.1:{server.port}/", timeout=10)

    assert "server" not in response.headers
    assert response.headers["date"].endswith(" GMT")


def test_a_busy_port_is_told_in_russian_with_the_configuration_exit_code(tmp_path: Path) -> None:
    env = environment(tmp_path, LK_DEMO="1")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        result = subprocess.run(
            [*LK, "serve", "--port", str(port)],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    assert result.returncode == 2
    assert f"Порт {port} на адресе 127.0.0.1 уже занят" in result.stderr
    assert "error" not in result.stderr.lower()
    assert "Личный кабинет" not in result.stdout


PRODUCTION = {"LK_HTTPS": "false", "LK_SECRET_KEY": "k" * 40, **A_COMPANY}


def test_outside_demo_mode_a_base_url_other_than_the_address_served_is_warned_about(
    tmp_path: Path, serve: Serve
) -> None:
    server = serve(environment(tmp_path, LK_BASE_URL="https://lk.example.ru", **PRODUCTION))

    warning = " ".join(server.errors.split())
    assert "LK_BASE_URL (https://lk.example.ru) не совпадает" in warning
    assert f"http://127.0.0.1:{server.port}" in warning
    assert "За обратным прокси" in warning
    assert "Личный кабинет: https://lk.example.ru/" in server.output


def test_outside_demo_mode_a_base_url_that_is_the_address_served_is_not_warned_about(
    tmp_path: Path, serve: Serve
) -> None:
    port = free_port()

    server = serve(
        environment(tmp_path, LK_BASE_URL=f"http://127.0.0.1:{port}", **PRODUCTION), port
    )

    assert "LK_BASE_URL" not in server.errors
    assert server.output == f"Личный кабинет: http://127.0.0.1:{port}/\n"
