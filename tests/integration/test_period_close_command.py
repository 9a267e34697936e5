"""`lk period close` on the demo company (F22): every receipt, and a `kill -9` in the middle
followed by a rerun leaves every receipt whole and each e-mail queued exactly once."""

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
from lk_core.accounts.account import ReceiptDelivery
from lk_core.kernel.periods import Period
from lk_core.receipts.payment_qr import decode_payload
from receipt_fixtures import decode_qr, is_whole_pdf

pytestmark = pytest.mark.slow
LK = [sys.executable, "-c", "from lk_cli.main import cli; cli()"]
EMAIL_ACCOUNTS = 40


def lk(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*LK, *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], Path, Period]:
    """The demo company on SQLite with some accounts switched to receipts by e-mail."""
    folder = tmp_path_factory.mktemp("close")
    url = f"sqlite:///{folder / 'lk.sqlite3'}"
    env = {**os.environ, "LK_DEMO": "1", "LK_DATABASE_URL": url,
           "LK_RECEIPTS_FOLDER": str(folder / "receipts"), "COLUMNS": "100"}  # fmt: skip
    result = lk(env, "demo", "--folder", str(folder / "demo-data"))
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
    # `lk demo` made the last three months' receipts; the first month has none yet.
    return env, folder, closed[0]


def accounts_and_outbox(
    env: dict[str, str], period: Period
) -> tuple[list[str], set[str], list[str]]:
    engine = make_engine(env["LK_DATABASE_URL"])
    try:
        with SqlAlchemyUnitOfWorkFactory(engine)(read_only=True) as uow:
            keys = uow.ledger.accounts_in(period)
            emailed = {
                k
                for k in keys
                if (a := uow.accounts.get(k)) and a.delivery is ReceiptDelivery.EMAIL
            }
            dedupe = [m.dedupe_key or "" for m in uow.outbox.recent(10_000)]
    finally:
        engine.dispose()
    return keys, emailed, dedupe


def test_a_run_killed_midway_and_run_again_leaves_every_receipt_whole_and_mails_once(
    demo: tuple[dict[str, str], Path, Period],
) -> None:
    env, folder, period = demo
    receipts = folder / "receipts" / str(period)
    process = subprocess.Popen(
        [*LK, "period", "close", str(period)],
        env={**env, "LK_RECEIPTS_WORKERS": "1"},  # slower, so the kill lands midway
        start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if receipts.is_dir() and len(os.listdir(receipts)) >= 20:
            break
        time.sleep(0.001)
    os.killpg(process.pid, signal.SIGKILL)  # the command and its worker processes
    process.wait()
    keys, emailed, _ = accounts_and_outbox(env, period)
    done_before = [n for n in os.listdir(receipts) if not n.startswith(".")]
    assert 0 < len(done_before) < len(keys), "the kill landed in the middle of the run"

    result = lk(env, "period", "close", str(period))

    assert result.returncode == 0, result.stderr
    assert f"Счетов: {len(keys)}" in result.stdout
    stored = sorted(n for n in os.listdir(receipts) if not n.startswith("."))
    assert stored == sorted(f"{key}.pdf" for key in keys)
    for name in stored:
        assert is_whole_pdf((receipts / name).read_bytes()), name
    _, _, dedupe = accounts_and_outbox(env, period)
    mailed = [d for d in dedupe if d.startswith("receipt:")]
    assert len(emailed) == EMAIL_ACCOUNTS
    assert sorted(mailed) == sorted(f"receipt:{key}:{period.code}" for key in emailed)


def test_a_banking_app_reads_a_stored_receipts_qr_back_to_its_account_period_and_sum(
    demo: tuple[dict[str, str], Path, Period],
) -> None:
    env, folder, period = demo
    assert lk(env, "period", "close", str(period)).returncode == 0
    key = sorted(os.listdir(folder / "receipts" / str(period)))[0].removesuffix(".pdf")

    (payload,) = decode_qr((folder / "receipts" / str(period) / f"{key}.pdf").read_bytes())

    fields = dict(decode_payload(payload))
    assert fields["PersAcc"].split("-")[0] == key
    assert fields["PaymPeriod"] == period.qr_form
    engine = make_engine(env["LK_DATABASE_URL"])
    try:
        with SqlAlchemyUnitOfWorkFactory(engine)(read_only=True) as uow:
            closing = sum(line.closing.kopecks for line in uow.ledger.lines(key, period))
    finally:
        engine.dispose()
    assert fields.get("Sum", "0") == str(max(closing, 0))


def test_an_unreadable_month_is_refused_with_a_clear_message(
    demo: tuple[dict[str, str], Path, Period],
) -> None:
    env, _, _ = demo

    result = lk(env, "period", "close", "2026-13")

    assert result.returncode != 0
    assert "нет такого месяца" in result.stderr


def test_receipts_made_elsewhere_are_imported_by_file_name_or_none_on_a_bad_file(
    demo: tuple[dict[str, str], Path, Period], tmp_path: Path
) -> None:
    env, folder, _ = demo
    engine = make_engine(env["LK_DATABASE_URL"])
    try:
        with SqlAlchemyUnitOfWorkFactory(engine)(read_only=True) as uow:
            closed = [p.period for p in uow.periods.list() if p.is_closed]
            key = uow.ledger.accounts_in(closed[1])[0]
    finally:
        engine.dispose()
    month = closed[1]
    scan = b"%PDF-1.4\n% the billing system's own scan\ntrailer\n<< >>\n%%EOF\n"
    offered = tmp_path / "scans"
    offered.mkdir()
    (offered / f"{key}_{month}.pdf").write_bytes(scan)
    (offered / "readme.pdf").write_bytes(scan)
    stored = folder / "receipts" / str(month) / f"{key}.pdf"

    refused = lk(env, "receipts", "import", str(offered))

    assert refused.returncode == 3
    assert f"{offered / 'readme.pdf'}: имя не по правилу" in refused.stderr
    assert not stored.exists()
    (offered / "readme.pdf").unlink()

    accepted = lk(env, "receipts", "import", str(offered))

    assert accepted.returncode == 0, accepted.stderr
    assert "Загружено квитанций: 1." in accepted.stdout
    assert stored.read_bytes() == scan
