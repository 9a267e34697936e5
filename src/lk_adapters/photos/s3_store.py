"""Photos in S3-compatible storage, shared by every host (ADR 0064): `<prefix><key>`, in
the receipts' bucket under their prefix, so a key `requests/<request>/<photo>.jpg` sits
beside the receipts as it does in their folder.

Each photo is one object written by a single PUT with its `Content-MD5` and its SHA-256
(`S3Bucket`, as receipts are): a reader finds a whole photo or none, and a photo changed in
storage is refused (`DamagedPhoto`), never served. Keys are checked (`checked_key`) before
they reach the bucket.
"""

from __future__ import annotations

from lk_adapters.photos.keys import checked_key
from lk_adapters.s3_bucket import DamagedObject, S3Bucket


class DamagedPhoto(DamagedObject):
    """The stored object is not the photo that was stored (length or checksum differ)."""


class S3PhotoStore(S3Bucket):
    """The photo store of a portal on several hosts."""

    damaged = DamagedPhoto

    def _key(self, key: str) -> str:
        return self.location.prefix + checked_key(key)

    def put(self, key: str, data: bytes) -> None:
        self._put_whole(self._key(key), data, "image/jpeg")

    def get(self, key: str) -> bytes | None:
        return self._get_whole(self._key(key))

    def delete(self, key: str) -> None:
        self._delete(self._key(key))
