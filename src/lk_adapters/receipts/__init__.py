"""Receipts: the PDF renderer, the receipt stores, the month-close batch runner."""

from lk_adapters.receipts.filesystem_store import FilesystemReceiptStore
from lk_adapters.receipts.memory_store import InMemoryReceiptStore
from lk_adapters.receipts.renderer import PdfReceiptRenderer

__all__ = ["FilesystemReceiptStore", "InMemoryReceiptStore", "PdfReceiptRenderer"]
