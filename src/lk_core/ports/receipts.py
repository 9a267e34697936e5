"""Receipts and month close (F11, F22)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Protocol

from lk_core.kernel.periods import Period
from lk_core.receipts.receipt import ReceiptDocument


class ReceiptStore(Protocol):
    def put(self, account_key: str, period: Period, pdf: bytes) -> None:
        """Store a receipt whole (write, then rename), replacing an earlier one."""
        ...

    def get(self, account_key: str, period: Period) -> bytes | None:
        """The receipt's PDF, if there is one."""
        ...

    def periods_of(self, account_key: str) -> list[Period]:
        """The periods an account has receipts for, newest first."""
        ...

    def accounts_with(self, period: Period) -> set[str]:
        """The keys of the accounts that have a whole receipt for the period."""
        ...


class ReceiptRenderer(Protocol):
    """Draws a receipt document as a PDF (F11)."""

    def render(self, document: ReceiptDocument) -> bytes:
        """The whole PDF file."""
        ...


class ReceiptBatchRunner(Protocol):
    """Makes the receipts of batches of accounts, maybe in several processes at once (F22)."""

    def run(self, period: Period, batches: Iterable[list[str]]) -> Iterator[int]:
        """Render, store and queue the e-mails of each batch (see `make_receipts`);
        yield each batch's size as it finishes, in any order."""
        ...
