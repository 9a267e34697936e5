"""The receipt store the settings name: a folder (the default) or S3 (ADR 0055)."""

from __future__ import annotations

from pathlib import Path

from lk_adapters.receipts.filesystem_store import FilesystemReceiptStore
from lk_adapters.settings import Settings
from lk_core.receipts.ports import ReceiptStore

S3_SCHEME = "s3://"


def configured_receipt_store(settings: Settings) -> ReceiptStore:
    """`receipts.store` = `s3://bucket/prefix` is object storage; a path is a folder; empty
    is `receipts.folder`."""
    store = settings.receipts.store.strip()
    if store.startswith(S3_SCHEME):
        # boto3 loads only where it is used: the folder's `lk` commands start as fast as before.
        from lk_adapters.receipts.s3_store import S3Access, S3Location, S3ReceiptStore

        return S3ReceiptStore(S3Location.parse(store), S3Access.of(settings.s3))
    return FilesystemReceiptStore(Path(store or settings.receipts.folder))
