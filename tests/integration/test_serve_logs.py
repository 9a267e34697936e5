"""`lk serve` off a terminal writes JSON lines only, its web processes' and uvicorn's own
alike (ADR 0048, 0056): a log collector never meets a line it cannot parse."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import httpx
import pytest

from served_portal import free_port, production_environment, served_portal

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("workers", ["1", "2"])
def test_every_line_on_stderr_is_json_uvicorns_warnings_included(
    workers: str, tmp_path: Path
) -> None:
    port = free_port()
    env = production_environment(tmp_path, port)
    log = tmp_path / "serve.log"
    with served_portal(env, port, log, "--workers", workers) as base_url:
        assert httpx.get(f"{base_url}/").status_code == 200
        with socket.create_connection(("127.0.0.1", port), 5) as garbage:
            garbage.sendall(b"NOT HTTP AT ALL\r\n\r\n")  # uvicorn logs a warning for it
            garbage.recv(1024)

    lines = log.read_text().splitlines()
    printed = [line for line in lines if line.startswith("Личный кабинет: ")]
    logged = [json.loads(line) for line in lines if line not in printed]  # all JSON
    assert len(printed) == 1
    assert any(e["event"] == "request" and e["path"] == "/" for e in logged)
    warning = next(e for e in logged if e.get("logger") == "uvicorn.error")
    assert warning["level"] == "warning"
    assert "Invalid HTTP request" in warning["event"]
