"""A real S3 server on 127.0.0.1 for tests: moto's server, in a thread, on a free port.

It speaks S3 over HTTP like any S3-compatible store, so the receipt store, the portal
and `lk` processes started by a test all reach it by its address. Each test takes a
bucket of its own (`new_bucket`), so tests sharing the server never see each other's
receipts.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import attrs
import boto3
from moto.server import ThreadedMotoServer

from lk_adapters.receipts.s3_store import S3Access, S3Location, S3ReceiptStore

# moto accepts any credentials; these only make boto3 sign its requests.
ACCESS_KEY_ID = "lk-test-key"
SECRET_ACCESS_KEY = "lk-test-secret"
REGION = "us-east-1"


@attrs.frozen
class S3Server:
    endpoint_url: str

    @property
    def access(self) -> S3Access:
        return S3Access(self.endpoint_url, ACCESS_KEY_ID, SECRET_ACCESS_KEY, REGION)

    def new_bucket(self) -> str:
        """A new, empty bucket's name."""
        bucket = f"lk-{uuid.uuid4().hex[:16]}"
        a = self.access
        boto3.client(
            "s3",
            endpoint_url=a.endpoint_url,
            aws_access_key_id=a.access_key_id,
            aws_secret_access_key=a.secret_access_key,
            region_name=a.region,
        ).create_bucket(Bucket=bucket)
        return bucket

    def new_store(self, prefix: str = "receipts/") -> S3ReceiptStore:
        """A receipt store over a new bucket."""
        return self.store_in(self.new_bucket(), prefix)

    def store_in(self, bucket: str, prefix: str = "receipts/") -> S3ReceiptStore:
        """The receipt store over a bucket (as `environment(bucket)` configures a portal)."""
        return S3ReceiptStore(S3Location(bucket, prefix), self.access)

    def environment(self, bucket: str, prefix: str = "receipts") -> dict[str, str]:
        """The `LK_` variables that point a portal's receipts at a bucket here."""
        return {
            "LK_RECEIPTS_STORE": f"s3://{bucket}/{prefix}",
            "LK_S3_ENDPOINT_URL": self.endpoint_url,
            "LK_S3_ACCESS_KEY_ID": ACCESS_KEY_ID,
            "LK_S3_SECRET_ACCESS_KEY": SECRET_ACCESS_KEY,
            "LK_S3_REGION": REGION,
        }


@contextmanager
def s3_server() -> Iterator[S3Server]:
    """moto's S3 server, listening on 127.0.0.1 on a port of the system's choosing."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        yield S3Server(f"http://{host}:{port}")
    finally:
        server.stop()
