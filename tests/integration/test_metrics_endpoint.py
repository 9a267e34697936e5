"""`/metrics` (ADR 0056) from the real `lk serve --workers 2` (and 1): the Prometheus text on
a port of its own bound to 127.0.0.1, summed over the web processes, labelled by route
template; the portal's own port does not serve it to anyone."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from personal_site import CSRF_INPUT
from served_portal import free_port, production_environment, served_portal

pytestmark = pytest.mark.slow


def samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(scraped: str, name: str, **labels: str) -> float | None:
    return samples(scraped).get((name, frozenset(labels.items())))


@pytest.fixture(scope="module", params=["2", "1"])
def portal(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str]]:
    """`lk serve --workers 2` (and 1) with its metrics on another port; both base URLs."""
    folder = tmp_path_factory.mktemp("metrics")
    port, metrics_port = free_port(), free_port()
    temporary = folder / "tmp"
    temporary.mkdir()
    env = production_environment(folder, port, LK_METRICS_PORT=str(metrics_port))
    env["TMPDIR"] = str(temporary)  # where `lk serve` makes its metrics folder
    with served_portal(env, port, folder / "serve.log", "--workers", request.param) as base_url:
        assert len(list(temporary.glob("lk-metrics-*"))) == 1
        yield base_url, f"http://127.0.0.1:{metrics_port}"
    assert list(temporary.iterdir()) == [], "stopped, lk serve removes its metrics folder"


def test_requests_are_counted_and_timed_by_route_template_over_every_process(
    portal: tuple[str, str],
) -> None:
    base_url, metrics_url = portal
    with httpx.Client(base_url=base_url) as browser:
        for _ in range(30):  # new connections: both processes take some
            assert httpx.get(f"{base_url}/healthz").status_code == 200
        for month in ("2026-10", "2026-09"):
            assert browser.get(f"/receipts/{month}").status_code == 303  # signed out
        assert browser.get("/no-such-page-100234").status_code == 404

    scraped = httpx.get(f"{metrics_url}/metrics").text

    count = "lk_http_request_duration_seconds_count"
    assert value(scraped, count, method="GET", route="/healthz", status="200") >= 30  # type: ignore[operator]
    assert value(scraped, count, method="GET", route="/receipts/{month}", status="303") == 2
    assert value(scraped, "lk_http_unmatched_requests_total", status="404") == 1
    assert "2026-10" not in scraped  # a template, never the path asked for
    assert "100234" not in scraped
    assert value(scraped, "lk_db_pool_connections_in_use") is not None
    assert value(scraped, "lk_outbox_messages", status="pending") == 0
    assert value(scraped, "lk_outbox_oldest_unsent_age_seconds") == 0
    assert not re.search(r"^lk_task_queue_jobs\{", scraped, re.M)  # no procrastinate table


def test_a_wrong_password_is_counted_as_such(portal: tuple[str, str]) -> None:
    base_url, metrics_url = portal
    with httpx.Client(base_url=base_url, headers={"Origin": base_url}) as browser:
        token = CSRF_INPUT.search(browser.get("/").text)[1]  # type: ignore[index]
        refused = browser.post(
            "/sign-in",
            data={"account": "100234", "password": "not-the-password", "_csrf_token": token},
        )
    assert refused.status_code == 400

    scraped = httpx.get(f"{metrics_url}/metrics").text

    assert value(scraped, "lk_sign_ins_total", outcome="wrong_password") == 1
    assert (
        value(
            scraped,
            "lk_http_request_duration_seconds_count",
            method="POST",
            route="/sign-in",
            status="400",
        )
        == 1
    )


def test_the_portals_own_port_serves_no_metrics_to_anyone(portal: tuple[str, str]) -> None:
    base_url, _ = portal

    assert httpx.get(f"{base_url}/metrics").status_code == 404


def test_the_metrics_port_listens_on_loopback_only(portal: tuple[str, str]) -> None:
    _, metrics_url = portal
    port = int(metrics_url.rsplit(":", 1)[1])

    with pytest.raises(ConnectionRefusedError), socket.create_connection(("127.0.0.2", port), 2):
        pass  # another address of this machine: nobody listens there


def test_a_busy_metrics_port_is_told_in_russian_with_the_configuration_exit_code(
    tmp_path: Path,
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        port = free_port()
        env = production_environment(tmp_path, port, LK_METRICS_PORT=str(busy))

        result = subprocess.run(
            [sys.executable, "-c", "from lk_cli.main import cli; cli()", "serve", "--port",
             str(port)],
            env=env, capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip

    assert result.returncode == 2
    assert f"LK_METRICS_PORT: Порт {busy} на адресе 127.0.0.1 уже занят" in result.stderr
    assert "Личный кабинет" not in result.stdout
