"""Receipts kept in memory: the same behaviour as the folder, for tests and the demo."""

from __future__ import annotations

import threading

from lk_core.kernel.periods import Period


class InMemoryReceiptStore:
    def __init__(self) -> None:
        self._receipts: dict[tuple[str, Period], bytes] = {}
        self._lock = threading.Lock()

    def put(self, account_key: str, period: Period, pdf: bytes) -> None:
        with self._lock:
            self._receipts[account_key, period] = bytes(pdf)

    def get(self, account_key: str, period: Period) -> bytes | None:
        return self._receipts.get((account_key, period))

    def periods_of(self, account_key: str) -> list[Period]:
        with self._lock:
            found = [period for key, period in self._receipts if key == account_key]
        return sorted(found, reverse=True)

    def accounts_with(self, period: Period) -> set[str]:
        with self._lock:
            return {key for key, stored in self._receipts if stored == period}
