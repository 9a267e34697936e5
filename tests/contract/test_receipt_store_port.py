"""The receipt store port: the folder store, the in-memory one and the S3 one behave alike."""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from lk_adapters.receipts import FilesystemReceiptStore, InMemoryReceiptStore
from lk_adapters.receipts.s3_store import DamagedReceipt, S3Location
from lk_core.kernel.periods import Period
from lk_core.receipts.ports import ReceiptStore
from s3_server import S3Server

OCTOBER = Period(2026, 10)
SEPTEMBER = Period(2026, 9)


@pytest.fixture(params=["memory", "folder", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ReceiptStore]:
    if request.param == "memory":
        yield InMemoryReceiptStore()
    elif request.param == "folder":
        yield FilesystemReceiptStore(tmp_path / "receipts")
    else:
        s3: S3Server = request.getfixturevalue("s3")
        yield s3.new_store()


def test_a_stored_receipt_is_read_back_whole(store: ReceiptStore) -> None:
    store.put("100234", OCTOBER, b"%PDF-1.4 october")

    assert store.get("100234", OCTOBER) == b"%PDF-1.4 october"
    assert store.get("100234", SEPTEMBER) is None
    assert store.get("100235", OCTOBER) is None


def test_storing_again_replaces_the_receipt(store: ReceiptStore) -> None:
    store.put("100234", OCTOBER, b"first")
    store.put("100234", OCTOBER, b"second")

    assert store.get("100234", OCTOBER) == b"second"
    assert store.accounts_with(OCTOBER) == {"100234"}


def test_an_accounts_periods_are_listed_newest_first(store: ReceiptStore) -> None:
    store.put("100234", SEPTEMBER, b"september")
    store.put("100234", OCTOBER, b"october")
    store.put("100235", Period(2026, 8), b"other")

    assert store.periods_of("100234") == [OCTOBER, SEPTEMBER]
    assert store.periods_of("999") == []


def test_the_accounts_with_a_receipt_for_a_period_are_known(store: ReceiptStore) -> None:
    store.put("100234", OCTOBER, b"a")
    store.put("100235", OCTOBER, b"b")
    store.put("100236", SEPTEMBER, b"c")

    assert store.accounts_with(OCTOBER) == {"100234", "100235"}
    assert store.accounts_with(Period(2025, 1)) == set()


def test_a_half_written_temporary_file_is_not_a_receipt(tmp_path: Path) -> None:
    store = FilesystemReceiptStore(tmp_path)
    (tmp_path / "2026-10").mkdir()
    (tmp_path / "2026-10" / ".100234.4242.tmp").write_bytes(b"%PDF-1.4 half")

    assert store.accounts_with(OCTOBER) == set()
    assert store.get("100234", OCTOBER) is None
    store.put("100234", OCTOBER, b"whole")
    assert store.get("100234", OCTOBER) == b"whole"


KILLED_BEFORE_THE_RENAME = """
import os, signal, sys
from pathlib import Path
from lk_adapters.receipts import FilesystemReceiptStore
from lk_core.kernel.periods import Period
os.replace = lambda *_: os.kill(os.getpid(), signal.SIGKILL)  # kill -9 mid-put
FilesystemReceiptStore(Path(sys.argv[1])).put("100234", Period(2026, 10), b"%PDF-1.4 half")
"""


def test_a_writer_killed_before_the_rename_leaves_nothing_in_the_month_folder(
    tmp_path: Path,
) -> None:
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_BEFORE_THE_RENAME, str(tmp_path)], timeout=60, check=False
    )

    assert killed.returncode == -signal.SIGKILL
    assert os.listdir(tmp_path / "2026-10") == []
    store = FilesystemReceiptStore(tmp_path)
    assert store.periods_of("100234") == []
    store.put("100234", OCTOBER, b"whole")
    assert os.listdir(tmp_path / "2026-10") == ["100234.pdf"]
    assert store.periods_of("100234") == [OCTOBER]


def test_a_key_that_is_not_digits_cannot_reach_outside_the_folder(tmp_path: Path) -> None:
    store = FilesystemReceiptStore(tmp_path)

    with pytest.raises(ValueError, match="not an account key"):
        store.put("../etc", OCTOBER, b"x")


# --- the S3 store: whole objects or none (ADR 0055) ---
KILLED_MID_UPLOAD = """
import os, signal, socket, sys
from lk_adapters.receipts.s3_store import S3Access, S3Location, S3ReceiptStore
from lk_core.kernel.periods import Period

sendall = socket.socket.sendall

def half_then_die(self, data, *args):  # kill -9 with half the receipt on the wire
    if len(data) > 30_000:
        sendall(self, bytes(data[: len(data) // 2]))
        os.kill(os.getpid(), signal.SIGKILL)
    return sendall(self, data, *args)

socket.socket.sendall = half_then_die
bucket, endpoint = sys.argv[1], sys.argv[2]
access = S3Access(endpoint, "lk-test-key", "lk-test-secret", "us-east-1")
store = S3ReceiptStore(S3Location(bucket, "receipts/"), access)
store.put("100234", Period(2026, 10), b"%PDF-1.4 " + os.urandom(60_000))
"""


def test_an_upload_killed_midway_leaves_no_receipt(s3: S3Server) -> None:
    store = s3.new_store()
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_MID_UPLOAD, store.location.bucket, s3.endpoint_url],
        timeout=60,
        check=False,
    )

    assert killed.returncode == -signal.SIGKILL
    assert store.get("100234", OCTOBER) is None
    assert store.periods_of("100234") == []
    assert store.accounts_with(OCTOBER) == set()
    listed = store.client.list_objects_v2(Bucket=store.location.bucket)
    assert listed.get("Contents", []) == []


def test_a_receipt_changed_in_storage_is_refused_not_served(s3: S3Server) -> None:
    store = s3.new_store()
    store.put("100234", OCTOBER, b"%PDF-1.4 october")
    key = "receipts/100234/2026-10.pdf"
    stored = store.client.head_object(Bucket=store.location.bucket, Key=key)
    store.client.put_object(
        Bucket=store.location.bucket, Key=key, Body=b"%PDF-1.4 forged!", Metadata=stored["Metadata"]
    )

    with pytest.raises(DamagedReceipt):
        store.get("100234", OCTOBER)


def test_a_receipt_stored_without_its_month_marker_is_made_again(s3: S3Server) -> None:
    store = s3.new_store()
    store.client.put_object(
        Bucket=store.location.bucket, Key="receipts/100234/2026-10.pdf", Body=b"whole"
    )

    assert store.accounts_with(OCTOBER) == set()  # month close renders it again
    store.put("100234", OCTOBER, b"whole")
    assert store.accounts_with(OCTOBER) == {"100234"}


def test_the_s3_store_crosses_into_a_worker_process_as_its_address(s3: S3Server) -> None:
    store = s3.new_store()
    store.put("100234", OCTOBER, b"october")

    copy = pickle.loads(pickle.dumps(store))

    assert copy.location == store.location
    assert copy.get("100234", OCTOBER) == b"october"


def test_an_s3_address_names_a_bucket_and_a_prefix() -> None:
    assert S3Location.parse("s3://receipts") == S3Location("receipts", "")
    assert S3Location.parse("s3://lk/prod/receipts/") == S3Location("lk", "prod/receipts/")
    with pytest.raises(ValueError, match="s3://"):
        S3Location.parse("s3:///no-bucket")
