"""`ETag` and `If-None-Match` on every read of the JSON API (ADR 0060).

The tag is a hash of the encoded body: a client that sends it back gets `304 Not
Modified` and no body. The body is still computed (the use case runs, authorization
included); what is saved is the transfer and the client's parsing.
"""

from __future__ import annotations

import hashlib
from typing import Any

import msgspec
from litestar import Response

from lk_web.client import AnyRequest

# Private: what the API answers is one resident's; revalidate on every use.
CACHE_CONTROL = "private, no-cache"
_ENCODER = msgspec.json.Encoder()


def etag_of(body: bytes) -> str:
    """A strong entity tag of a body."""
    return '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'


def matches(if_none_match: str | None, tag: str) -> bool:
    """Whether `If-None-Match` names the tag (weak comparison, as RFC 9110 wants for it)."""
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    wanted = tag.removeprefix("W/")
    return any(
        candidate.strip().removeprefix("W/") == wanted for candidate in if_none_match.split(",")
    )


def json_read(
    request: AnyRequest, payload: Any, media_type: str = "application/json"
) -> Response[Any]:
    """A read's answer: the payload encoded, tagged, or `304` when the client has it."""
    body = _ENCODER.encode(payload)
    tag = etag_of(body)
    headers = {"ETag": tag, "Cache-Control": CACHE_CONTROL}
    if matches(request.headers.get("if-none-match"), tag):
        return Response(b"", status_code=304, headers=headers)
    return Response(body, media_type=media_type, headers=headers)


def bytes_read(
    request: AnyRequest, body: bytes, media_type: str, headers: dict[str, str] | None = None
) -> Response[Any]:
    """A read of a file (a receipt's PDF): tagged, or `304` when the client has it."""
    tag = etag_of(body)
    answer_headers = {"ETag": tag, "Cache-Control": CACHE_CONTROL, **(headers or {})}
    if matches(request.headers.get("if-none-match"), tag):
        return Response(b"", status_code=304, headers=answer_headers)
    return Response(body, media_type=media_type, headers=answer_headers)
