"""`lk worker` processes for the tests that need several, and a look at who is alive."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text

from lk_adapters.sqlalchemy.engine import make_engine

LK = [sys.executable, "-c", "from lk_cli.main import cli; cli()"]
# Short, so that a killed worker's batch goes to another within seconds (default 30).
STALLED_AFTER = "3"


def lk(env: dict[str, str], *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*LK, *args], env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def live_workers(database_url: str) -> int:
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            return int(
                connection.execute(
                    text(
                        "SELECT count(*) FROM procrastinate_workers "
                        "WHERE last_heartbeat > now() - interval '3 seconds'"
                    )
                ).scalar_one()
            )
    finally:
        engine.dispose()


@contextmanager
def workers(env: dict[str, str], count: int, logs: Path) -> Iterator[list[subprocess.Popen[bytes]]]:
    """`count` workers, each logging to `logs/worker-N.log`, started and seen alive."""
    logs.mkdir(parents=True, exist_ok=True)
    started: list[subprocess.Popen[bytes]] = []
    try:
        for n in range(count):
            command = [*LK, "worker", "--stalled-after", STALLED_AFTER]
            with (logs / f"worker-{n}.log").open("wb") as log:
                process = subprocess.Popen(
                    command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
                )
            started.append(process)
        deadline = time.monotonic() + 30
        while live_workers(env["LK_DATABASE_URL"]) < count:
            assert time.monotonic() < deadline, (logs / "worker-0.log").read_text()
            time.sleep(0.1)
        yield started
    finally:
        for process in started:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in started:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
