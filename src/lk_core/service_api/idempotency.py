"""Idempotent requests (F28): a POST repeated with its `Idempotency-Key` gets the first answer.

The key is scoped to its caller (an API key or a resident), so two systems cannot collide.
The first request claims the key; once it is answered, the answer is kept for a day.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import attrs

from lk_core.service_api.errors import IdempotencyKeyInvalid

# Long enough for any client's retries; short enough that the table stays small.
IDEMPOTENCY_LIFETIME = dt.timedelta(hours=24)
# A claim with no answer after this long belongs to a request whose process died: a retry
# may take it over instead of waiting out the whole lifetime.
ABANDONED_AFTER = dt.timedelta(minutes=15)
_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")


def idempotency_key(text: str) -> str:
    """The header's value, checked: 1 to 255 visible ASCII characters."""
    if not _KEY.match(text):
        raise IdempotencyKeyInvalid
    return text


def request_fingerprint(method: str, target: str, content_type: str, body: bytes) -> str:
    """What makes two requests the same request: method, path with query, type and body."""
    digest = hashlib.sha256()
    for part in (method.upper(), target, content_type):
        digest.update(part.encode())
        digest.update(b"\0")
    digest.update(body)
    return digest.hexdigest()


@attrs.frozen
class StoredAnswer:
    """The first answer to a request: its status, the headers worth repeating, its body."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes = attrs.field(repr=False)


@attrs.frozen
class IdempotentRequest:
    """A request claimed under an idempotency key, with its answer once it has one."""

    caller: str
    key: str
    request_hash: str
    claimed_at: dt.datetime
    expires_at: dt.datetime
    answer: StoredAnswer | None = None

    def is_abandoned(self, at: dt.datetime) -> bool:
        return self.answer is None and at - self.claimed_at >= ABANDONED_AFTER
