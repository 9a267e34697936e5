"""`lk period close` with receipts in S3 (ADR 0055): worker processes store each receipt in
the bucket, and a `kill -9` midway followed by a rerun leaves every receipt whole, once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lk_adapters.sqlalchemy.engine import make_engine
from lk_adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWorkFactory
from lk_core.kernel.periods import Period
from receipt_fixtures import is_whole_pdf
from s3_server import S3Server

pytestmark = pytest.mark.slow
LK = [sys.executable, "-c", "from lk_cli.main import cli; cli()"]


def lk(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*LK, *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )


def test_month_close_in_worker_processes_stores_every_receipt_in_the_bucket(
    s3: S3Server, tmp_path: Path
) -> None:
    bucket = s3.new_bucket()
    url = f"sqlite:///{tmp_path / 'lk.sqlite3'}"
    env = {**os.environ, "LK_DEMO": "1", "LK_DATABASE_URL": url, **s3.environment(bucket)}
    made = lk(env, "demo", "--folder", str(tmp_path / "demo-data"))
    assert made.returncode == 0, made.stderr
    engine = make_engine(url)
    try:
        with SqlAlchemyUnitOfWorkFactory(engine)(read_only=True) as uow:
            period: Period = next(p.period for p in uow.periods.list() if p.is_closed)
            keys = uow.ledger.accounts_in(period)
    finally:
        engine.dispose()
    store = s3.store_in(bucket)  # where the portal's processes write
    assert store.accounts_with(period) == set()  # `lk demo` leaves its first month to close
    process = subprocess.Popen(
        [*LK, "period", "close", str(period)],
        env={**env, "LK_RECEIPTS_WORKERS": "2"},
        start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if len(store.accounts_with(period)) >= 10:
            break
        time.sleep(0.01)
    os.killpg(process.pid, signal.SIGKILL)  # the command and its worker processes
    process.wait()
    assert 0 < len(store.accounts_with(period)) < len(keys), "the kill landed midway"

    result = lk({**env, "LK_RECEIPTS_WORKERS": "2"}, "period", "close", str(period))

    assert result.returncode == 0, result.stderr
    assert store.accounts_with(period) == set(keys)
    for key in keys:
        assert period in store.periods_of(key)
        pdf = store.get(key, period)
        assert pdf is not None
        assert is_whole_pdf(pdf), key
