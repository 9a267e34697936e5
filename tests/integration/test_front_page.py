"""The start page and the health probes, served by the real app over a SQLite file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from litestar.testing import TestClient

from lk_adapters.container import build_container
from lk_adapters.settings import load_settings
from lk_adapters.sqlalchemy.migrations import upgrade_database
from lk_web.app import create_app


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:  # type: ignore[type-arg]
    settings = load_settings(
        {"LK_DEMO": "1", "LK_DATABASE_URL": f"sqlite:///{tmp_path / 'lk.sqlite3'}"}
    )
    container = build_container(settings)
    upgrade_database(container.engine())
    with TestClient(app=create_app(container)) as test_client:
        yield test_client


def test_front_page_is_in_russian_names_the_company_and_offers_both_ways_in(
    client: TestClient,  # type: ignore[type-arg]
) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert '<html lang="ru">' in response.text
    assert "ООО «УК Тверской дом»" in response.text
    assert "Вход" in response.text
    assert "Первый вход" in response.text


def test_every_response_carries_the_security_headers(client: TestClient) -> None:  # type: ignore[type-arg]
    response = client.get("/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-store"


def test_health_and_readiness_probes_answer(client: TestClient) -> None:  # type: ignore[type-arg]
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json() == {"status": "ready"}
