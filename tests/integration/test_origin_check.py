"""The forms' origin check as a newcomer meets it: the demo opened as localhost or on
another port, a refused form explained in the portal's own page, and no schema pages."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from httpx import Response
from litestar.testing import TestClient

from access_fixtures import load_accounts, some_accounts
from company_env import A_COMPANY
from lk_adapters.container import build_container
from lk_adapters.settings import load_settings
from lk_adapters.sqlalchemy.migrations import upgrade_database
from lk_web.app import create_app

# What `lk serve --port 18100` makes the portal's address in demo mode.
SERVED = "http://127.0.0.1:18100"
CSRF_INPUT = re.compile(r'name="_csrf_token" value="([^"]+)"')
# A browser at localhost is what these tests are about (TestClient suggests a domain).
pytestmark = pytest.mark.filterwarnings("ignore:The base_url .* might cause issues")


@pytest.fixture
def portal_at(tmp_path: Path) -> Iterator[Any]:
    """`portal_at(browser_url, **env)`: a browser on a portal whose LK_BASE_URL is SERVED,
    with the browser's address bar at `browser_url` (demo mode unless env says otherwise)."""
    clients: list[TestClient] = []  # type: ignore[type-arg]

    def build(browser_url: str, **env: str) -> TestClient:  # type: ignore[type-arg]
        folder = tmp_path / f"portal{len(clients)}"
        folder.mkdir()
        settings = load_settings(
            {
                "LK_DEMO": "1",
                "LK_DATABASE_URL": f"sqlite:///{folder / 'lk.sqlite3'}",
                "LK_BASE_URL": SERVED,
                **env,
            }
        )
        container = build_container(settings)
        upgrade_database(container.engine())
        load_accounts(container.uow_factory(), some_accounts())
        client = TestClient(app=create_app(container), base_url=browser_url)
        clients.append(client.__enter__())
        return client

    yield build
    for client in clients:
        client.__exit__(None, None, None)


def first_visit(client: TestClient, origin: str) -> Response:  # type: ignore[type-arg]
    """The first-visit form, sent from a page whose origin is `origin`."""
    token = CSRF_INPUT.search(client.get("/").text)
    assert token is not None
    return client.post(
        "/first-visit",
        data={"account": "100235", "surname": "Семёнов", "_csrf_token": token[1]},
        headers={"Origin": origin, "Referer": origin + "/"},
        follow_redirects=False,
    )


PRODUCTION = {"LK_DEMO": "0", "LK_HTTPS": "false", "LK_SECRET_KEY": "k" * 40, **A_COMPANY}


@pytest.mark.parametrize(
    "origin", ["http://localhost:18100", "http://127.0.0.1:18100", "http://[::1]:18100"]
)
def test_the_demo_takes_forms_from_every_loopback_name_of_the_port_it_is_served_on(
    portal_at: Any, origin: str
) -> None:
    client = portal_at("http://localhost:18100")

    accepted = first_visit(client, origin)

    assert accepted.status_code == 303
    assert accepted.headers["location"] == "/register"


@pytest.mark.parametrize(
    "origin", ["http://localhost:18101", "http://evil.example:18100", "https://localhost:18100"]
)
def test_the_demo_still_refuses_forms_from_another_port_or_host(
    portal_at: Any, origin: str
) -> None:
    client = portal_at("http://localhost:18100")

    assert first_visit(client, origin).status_code == 403


def test_outside_demo_mode_only_the_configured_address_is_the_portal(portal_at: Any) -> None:
    client = portal_at("http://localhost:18100", **PRODUCTION)

    assert first_visit(client, "http://localhost:18100").status_code == 403


def test_a_refused_form_gets_the_portals_page_in_russian_saying_what_to_do(
    portal_at: Any,
) -> None:
    client = portal_at("http://localhost:18100", **PRODUCTION)

    refused = first_visit(client, "http://localhost:18100")

    assert refused.status_code == 403
    assert refused.headers["content-type"].startswith("text/html")
    assert '<html lang="ru">' in refused.text
    assert re.search(
        r'<link rel="stylesheet" href="/assets/[0-9a-f]{12}/portal.css">', refused.text
    )
    assert "Запрос отклонён" in refused.text
    assert "обновите страницу и повторите действие" in refused.text
    assert f'href="{SERVED}/"' in refused.text


@pytest.mark.parametrize("env", [{}, PRODUCTION], ids=["demo", "production"])
def test_there_is_no_schema_of_the_pages_in_any_mode(portal_at: Any, env: dict[str, str]) -> None:
    client = portal_at(SERVED, **env)

    for path in ("/schema", "/schema/openapi.json", "/schema/swagger", "/schema/redoc"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "cdn." not in response.text
