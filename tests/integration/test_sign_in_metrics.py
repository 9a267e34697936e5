"""Sign-in outcomes and throttled requests in the metrics (ADR 0056), through the real app:
each outcome counted once, and no resident can read the metrics from the portal."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import structlog
from litestar.testing import TestClient
from prometheus_client import REGISTRY

from access_fixtures import IVANOV, PASSWORD, load_accounts
from access_fixtures import some_accounts as access_accounts
from lk_adapters.container import build_container
from lk_adapters.settings import load_settings
from lk_adapters.sqlalchemy.migrations import upgrade_database
from lk_web.app import create_app

from .test_main_page import BASE, Site


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    """The portal with its metrics on (the test reads this process's own registry)."""
    saved_logging = structlog.get_config()
    settings = load_settings(
        {"LK_DEMO": "1", "LK_DATABASE_URL": f"sqlite:///{tmp_path / 'lk.sqlite3'}",
         "LK_BASE_URL": BASE, "LK_METRICS_PORT": "9464"}
    )  # fmt: skip
    container = build_container(settings)
    upgrade_database(container.engine())
    load_accounts(container.uow_factory(), access_accounts())
    with TestClient(app=create_app(container), base_url=BASE) as client:
        yield Site(client, container)
    structlog.configure(**saved_logging)
    container.engine().dispose()


def sign_ins(outcome: str) -> float:
    return REGISTRY.get_sample_value("lk_sign_ins_total", {"outcome": outcome}) or 0.0


def throttled(route: str) -> float:
    return REGISTRY.get_sample_value("lk_http_throttled_requests_total", {"route": route}) or 0.0


def test_a_success_and_a_wrong_password_are_each_counted_once(site: Site) -> None:
    before = sign_ins("success"), sign_ins("wrong_password")

    site.sign_in(IVANOV)
    site.client.cookies.clear()
    wrong = site.post("/sign-in", {"account": IVANOV, "password": PASSWORD + "x"})

    assert wrong.status_code == 400
    assert (sign_ins("success"), sign_ins("wrong_password")) == (before[0] + 1, before[1] + 1)


def test_throttled_sign_ins_and_throttled_requests_are_counted(site: Site) -> None:
    site.register(IVANOV)
    before, before_route = sign_ins("throttled"), throttled("/sign-in")
    statuses = []
    for _ in range(60):
        answer = site.post("/sign-in", {"account": IVANOV, "password": "wrong-password"})
        statuses.append(answer.status_code)
        if answer.status_code == 429:
            break

    assert statuses[-1] == 429
    assert sign_ins("throttled") == before + 1
    assert throttled("/sign-in") == before_route + 1


def test_a_signed_in_resident_cannot_read_the_metrics_from_the_portal(site: Site) -> None:
    site.sign_in(IVANOV)

    answer = site.client.get("/metrics")

    assert answer.status_code == 404
    assert "lk_" not in answer.text
