"""A month close fanned out across two `lk worker` processes on PostgreSQL, one of them
killed with SIGKILL in the middle: the close still finishes, every receipt is stored
whole and once, every e-mail queued once (ADR 0021, ADR 0057)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import empty_database_url
from lk_adapters.sqlalchemy.engine import make_engine
from lk_adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWorkFactory
from lk_core.accounts.account import ReceiptDelivery
from lk_core.kernel.periods import Period
from receipt_fixtures import is_whole_pdf
from worker_processes import LK, lk, workers

pytestmark = [pytest.mark.slow, pytest.mark.postgres]
EMAIL_ACCOUNTS = 40


@pytest.fixture
def company(tmp_path: Path) -> Iterator[tuple[dict[str, str], Path, Period]]:
    """The demo company on PostgreSQL, some accounts with receipts by e-mail; and the one
    closed month it has no receipts for yet."""
    with empty_database_url("postgres", tmp_path) as url:
        env = {**os.environ, "LK_DEMO": "1", "LK_DATABASE_URL": url,
               "LK_RECEIPTS_FOLDER": str(tmp_path / "receipts"), "COLUMNS": "100"}  # fmt: skip
        result = lk(env, "demo", "--folder", str(tmp_path / "demo-data"))
        assert result.returncode == 0, result.stderr
        engine = make_engine(url)
        try:
            with SqlAlchemyUnitOfWorkFactory(engine)() as uow:
                closed = [p.period for p in uow.periods.list() if p.is_closed]
                with_email = [
                    a for k in sorted(uow.accounts.keys()) if (a := uow.accounts.get(k)) and a.email
                ]
                for account in with_email[:EMAIL_ACCOUNTS]:
                    account.choose_delivery(ReceiptDelivery.EMAIL)
                    uow.accounts.save(account)
                uow.commit()
        finally:
            engine.dispose()
        yield env, tmp_path, closed[0]


def accounts_emailed_and_mailed(url: str, period: Period) -> tuple[list[str], set[str], list[str]]:
    engine = make_engine(url)
    try:
        with SqlAlchemyUnitOfWorkFactory(engine)(read_only=True) as uow:
            keys = uow.ledger.accounts_in(period)
            emailed = {
                k
                for k in keys
                if (a := uow.accounts.get(k)) and a.delivery is ReceiptDelivery.EMAIL
            }
            mailed = [
                m.dedupe_key or ""
                for m in uow.outbox.recent(100_000)
                if (m.dedupe_key or "").startswith("receipt:")
            ]
    finally:
        engine.dispose()
    return keys, emailed, mailed


def test_a_close_across_two_workers_survives_one_killed_and_makes_every_receipt_once(
    company: tuple[dict[str, str], Path, Period],
) -> None:
    env, folder, period = company
    receipts = folder / "receipts" / str(period)
    keys, emailed, _ = accounts_emailed_and_mailed(env["LK_DATABASE_URL"], period)
    with workers(env, 2, folder / "logs") as (doomed, survivor):
        close = subprocess.Popen(
            [*LK, "period", "close", str(period), "--batch", "10"],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        while not (receipts.is_dir() and len(os.listdir(receipts)) >= 60):
            assert close.poll() is None, close.communicate()
            time.sleep(0.005)
        os.killpg(doomed.pid, signal.SIGKILL)
        done_at_kill = len(os.listdir(receipts))
        stdout, stderr = close.communicate(timeout=300)  # a hang, not a timing
        assert survivor.poll() is None

    assert close.returncode == 0, stderr
    assert done_at_kill < len(keys), "the kill landed while batches were left"
    assert f"Счетов: {len(keys)}" in stdout
    stored = sorted(os.listdir(receipts))  # whole receipts and nothing else
    assert stored == sorted(f"{key}.pdf" for key in keys)
    for name in stored:
        assert is_whole_pdf((receipts / name).read_bytes()), name
    _, _, mailed = accounts_emailed_and_mailed(env["LK_DATABASE_URL"], period)
    assert len(emailed) == EMAIL_ACCOUNTS
    assert sorted(mailed) == sorted(f"receipt:{key}:{period.code}" for key in emailed)
    logged = [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]
    assert {"event": "period close started", "by": "lk worker"}.items() <= logged[0].items()
    lines = (folder / "logs" / "worker-1.log").read_text().splitlines()
    survivor_log = [json.loads(line) for line in lines if line.startswith("{")]
    retried = [
        e for e in survivor_log
        if e.get("task") == "receipts.make_batch" and e.get("action") == "start_job"
        and e.get("attempts", 0) > 0
    ]  # fmt: skip
    assert retried, "the killed worker's batch was handed to the survivor"
    # A job's arguments (the batch's account keys) are never logged.
    assert not [line for line in lines if "keys=" in line or "keys': [" in line]
