"""The real `lk serve` on a free port of 127.0.0.1, for tests that need a real server: what
happens to other requests while some are stuck is decided by uvicorn and Litestar's
thread pool, which Litestar's test client does not reproduce."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from personal_site import non_demo_settings

START_SECONDS = 180  # a loaded machine (CI, parallel runs) starts processes slowly


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def production_environment(folder: Path, port: int, **settings: str) -> dict[str, str]:
    """A real deployment's settings over plain HTTP, a fresh SQLite file, and `settings`."""
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("LK_")},
        **non_demo_settings(),
        "LK_DATABASE_URL": f"sqlite:///{folder / 'lk.sqlite3'}",
        "LK_BASE_URL": f"http://127.0.0.1:{port}",
        **settings,
    }


@contextmanager
def served_portal(env: dict[str, str], port: int, log: Path, *options: str) -> Iterator[str]:
    """`lk serve` with `env` (and more `options`, such as `--workers`) until the block
    ends; its base URL."""
    base_url = f"http://127.0.0.1:{port}"
    lk = str(Path(sys.executable).parent / "lk")
    with log.open("wb") as output:
        server = subprocess.Popen(
            [lk, "serve", "--host", "127.0.0.1", "--port", str(port), *options],
            env=env, stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + START_SECONDS
        while True:
            if server.poll() is not None:
                raise AssertionError(f"lk serve exited:\n{log.read_text()[-3000:]}")
            try:
                if httpx.get(f"{base_url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"lk serve did not answer in {START_SECONDS} s")
            time.sleep(0.1)
        yield base_url
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
