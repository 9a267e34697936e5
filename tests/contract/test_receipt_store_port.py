"""The receipt store port: the folder store and the in-memory one behave alike."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from lk_adapters.receipts import FilesystemReceiptStore, InMemoryReceiptStore
from lk_core.kernel.periods import Period
from lk_core.receipts.ports import ReceiptStore

OCTOBER = Period(2026, 10)
SEPTEMBER = Period(2026, 9)


@pytest.fixture(params=["memory", "folder"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ReceiptStore]:
    if request.param == "memory":
        yield InMemoryReceiptStore()
    else:
        yield FilesystemReceiptStore(tmp_path / "receipts")


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


def test_a_key_that_is_not_digits_cannot_reach_outside_the_folder(tmp_path: Path) -> None:
    store = FilesystemReceiptStore(tmp_path)

    with pytest.raises(ValueError, match="not an account key"):
        store.put("../etc", OCTOBER, b"x")
