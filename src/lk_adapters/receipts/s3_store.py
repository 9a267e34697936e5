"""Receipts in S3-compatible object storage, shared by every host (ADR 0055).

Each receipt is one object, `<prefix><account>/<YYYY-MM>.pdf`, stored by a single PUT:
S3 makes an object visible only once its whole body has arrived, so a writer killed
midway, or an upload cut off, leaves nothing; the body goes with its MD5 (`Content-MD5`),
so a body damaged on the way is refused too. Its SHA-256 goes along as metadata and is
checked on every read, on any S3-compatible server.

The main page asks for an account's periods on every visit: with the account first in the
key, that is one listing. Month close asks once which accounts of a month are done: an
empty marker `<prefix>months/<YYYY-MM>/<account>` is written after the receipt, so a
marker always means a whole receipt; a writer killed between the two leaves a receipt
without its marker, which the next run of month close renders again (the same bytes).
The client, the PUT and the checked read are `lk_adapters.s3_bucket`'s, shared with photos.
"""

from __future__ import annotations

import re

from lk_adapters.s3_bucket import DamagedObject, S3Access, S3Bucket, S3Location
from lk_core.kernel.periods import Period

__all__ = ["DamagedReceipt", "S3Access", "S3Location", "S3ReceiptStore"]

_RECEIPT = re.compile(r"^([0-9]{4}-[0-9]{2})\.pdf$")
_MONTHS = "months/"  # not digits: never an account's folder


class DamagedReceipt(DamagedObject):
    """The stored object is not the receipt that was stored (length or checksum differ)."""


def _account(account_key: str) -> str:
    if not account_key.isdigit():
        raise ValueError(f"not an account key: {account_key!r}")
    return account_key


class S3ReceiptStore(S3Bucket):
    """The receipt store of a portal on several hosts (a month-close worker process gets
    the store's address, never a live connection)."""

    damaged = DamagedReceipt

    def _key(self, account_key: str, period: Period) -> str:
        return f"{self.location.prefix}{_account(account_key)}/{period}.pdf"

    def _marker(self, account_key: str, period: Period) -> str:
        return f"{self.location.prefix}{_MONTHS}{period}/{_account(account_key)}"

    def put(self, account_key: str, period: Period, pdf: bytes) -> None:
        self._put_whole(self._key(account_key, period), pdf, "application/pdf")
        self.client.put_object(
            Bucket=self.location.bucket, Key=self._marker(account_key, period), Body=b""
        )

    def get(self, account_key: str, period: Period) -> bytes | None:
        return self._get_whole(self._key(account_key, period))

    def periods_of(self, account_key: str) -> list[Period]:
        folder = f"{self.location.prefix}{_account(account_key)}/"
        found = [Period.parse(m[1]) for name in self._keys(folder) if (m := _RECEIPT.match(name))]
        return sorted(found, reverse=True)

    def accounts_with(self, period: Period) -> set[str]:
        folder = f"{self.location.prefix}{_MONTHS}{period}/"
        return {name for name in self._keys(folder) if name.isdigit()}
