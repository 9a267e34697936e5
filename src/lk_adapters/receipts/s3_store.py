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
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import attrs
import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from lk_core.kernel.periods import Period

_RECEIPT = re.compile(r"^([0-9]{4}-[0-9]{2})\.pdf$")
_MONTHS = "months/"  # not digits: never an account's folder
_CHECKSUM = "sha256"


class DamagedReceipt(Exception):
    """The stored object is not the receipt that was stored (length or checksum differ)."""


@attrs.frozen
class S3Location:
    """A bucket and a key prefix, from `s3://bucket/prefix`."""

    bucket: str
    prefix: str = ""

    @classmethod
    def parse(cls, url: str) -> S3Location:
        parts = urlsplit(url)
        if parts.scheme != "s3" or not parts.netloc:
            raise ValueError(f"not an s3://bucket/prefix address: {url!r}")
        prefix = parts.path.strip("/")
        return cls(parts.netloc, prefix + "/" if prefix else "")


@attrs.frozen
class S3Access:
    """Where the server is and who we are there; empty values leave boto3's own defaults
    (its environment variables, instance profiles) in force."""

    endpoint_url: str = ""
    access_key_id: str = ""
    secret_access_key: str = attrs.field(default="", repr=False)
    region: str = ""


def _account(account_key: str) -> str:
    if not account_key.isdigit():
        raise ValueError(f"not an account key: {account_key!r}")
    return account_key


class S3ReceiptStore:
    """The receipt store of a portal on several hosts."""

    def __init__(self, location: S3Location, access: S3Access) -> None:
        self.location = location
        self.access = access
        self._client: Any = None

    # A month-close worker process gets the store's address, never a live connection.
    def __getstate__(self) -> dict[str, Any]:
        return {"location": self.location, "access": self.access}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["location"], state["access"])  # type: ignore[misc]

    @property
    def client(self) -> Any:
        """One boto3 client for the store (clients are safe to share between threads)."""
        if self._client is None:
            a = self.access
            self._client = boto3.session.Session().client(
                "s3",
                endpoint_url=a.endpoint_url or None,
                aws_access_key_id=a.access_key_id or None,
                aws_secret_access_key=a.secret_access_key or None,
                region_name=a.region or None,
                # Our own Content-MD5 and SHA-256 work on every S3-compatible server;
                # boto3's newer default checksums do not (older MinIO, Ceph).
                config=Config(
                    request_checksum_calculation="when_required",
                    response_checksum_validation="when_required",
                    retries={"mode": "standard", "max_attempts": 4},
                ),
            )
        return self._client

    def _key(self, account_key: str, period: Period) -> str:
        return f"{self.location.prefix}{_account(account_key)}/{period}.pdf"

    def _marker(self, account_key: str, period: Period) -> str:
        return f"{self.location.prefix}{_MONTHS}{period}/{_account(account_key)}"

    def put(self, account_key: str, period: Period, pdf: bytes) -> None:
        body = bytes(pdf)
        self.client.put_object(
            Bucket=self.location.bucket,
            Key=self._key(account_key, period),
            Body=body,
            ContentLength=len(body),
            ContentMD5=base64.b64encode(hashlib.md5(body).digest()).decode(),  # noqa: S324
            ContentType="application/pdf",
            Metadata={_CHECKSUM: hashlib.sha256(body).hexdigest()},
        )
        self.client.put_object(
            Bucket=self.location.bucket, Key=self._marker(account_key, period), Body=b""
        )

    def get(self, account_key: str, period: Period) -> bytes | None:
        key = self._key(account_key, period)
        try:
            found = self.client.get_object(Bucket=self.location.bucket, Key=key)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in {"NoSuchKey", "404"}:
                return None
            raise
        body: bytes = found["Body"].read()
        expected = found["Metadata"].get(_CHECKSUM)
        if len(body) != found["ContentLength"] or (
            expected is not None and hashlib.sha256(body).hexdigest() != expected
        ):
            raise DamagedReceipt(f"s3://{self.location.bucket}/{key}")
        return body

    def _keys(self, prefix: str) -> Iterator[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.location.bucket, Prefix=prefix
        )
        for page in pages:
            for entry in page.get("Contents", ()):
                yield entry["Key"][len(prefix) :]

    def periods_of(self, account_key: str) -> list[Period]:
        folder = f"{self.location.prefix}{_account(account_key)}/"
        found = [Period.parse(m[1]) for name in self._keys(folder) if (m := _RECEIPT.match(name))]
        return sorted(found, reverse=True)

    def accounts_with(self, period: Period) -> set[str]:
        folder = f"{self.location.prefix}{_MONTHS}{period}/"
        return {name for name in self._keys(folder) if name.isdigit()}
