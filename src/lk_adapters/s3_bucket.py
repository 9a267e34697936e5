"""What every store in S3-compatible storage shares (ADRs 0055, 0064): the address
(`s3://bucket/prefix`), the server and credentials, one boto3 client made on first use,
and whole objects — each written by a single PUT with its `Content-MD5` (S3 makes an object
visible only once its whole body has arrived, and refuses a body damaged on the way) and
its SHA-256 as metadata, checked on every read.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from typing import Any, ClassVar
from urllib.parse import urlsplit

import attrs
import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from lk_adapters.settings.model import S3Settings

_CHECKSUM = "sha256"


class DamagedObject(Exception):
    """The stored object is not the one that was stored (length or checksum differ)."""


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

    @classmethod
    def of(cls, s3: S3Settings) -> S3Access:
        """The access the `LK_S3_*` settings describe."""
        return cls(s3.endpoint_url, s3.access_key_id, s3.secret_access_key, s3.region)


class S3Bucket:
    """A store's objects under `location`; subclasses name the keys. It pickles as its
    address alone (a worker process makes its own client), never a live connection."""

    damaged: ClassVar[type[DamagedObject]] = DamagedObject

    def __init__(self, location: S3Location, access: S3Access) -> None:
        self.location = location
        self.access = access
        self._client: Any = None

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

    def _put_whole(self, key: str, data: bytes, content_type: str) -> None:
        """One object, by a single PUT with its MD5 and its SHA-256 (whole or not at all)."""
        body = bytes(data)
        self.client.put_object(
            Bucket=self.location.bucket,
            Key=key,
            Body=body,
            ContentLength=len(body),
            ContentMD5=base64.b64encode(hashlib.md5(body).digest()).decode(),  # noqa: S324
            ContentType=content_type,
            Metadata={_CHECKSUM: hashlib.sha256(body).hexdigest()},
        )

    def _get_whole(self, key: str) -> bytes | None:
        """The object's bytes, None if there is none; `damaged` if they are not what was
        stored."""
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
            raise self.damaged(f"s3://{self.location.bucket}/{key}")
        return body

    def _delete(self, key: str) -> None:
        """Forget the object (deleting a key that is not there is no error in S3)."""
        self.client.delete_object(Bucket=self.location.bucket, Key=key)

    def _keys(self, prefix: str) -> Iterator[str]:
        """The keys under `prefix`, without it."""
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.location.bucket, Prefix=prefix
        )
        for page in pages:
            for entry in page.get("Contents", ()):
                yield entry["Key"][len(prefix) :]
