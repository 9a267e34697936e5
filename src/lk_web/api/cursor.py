"""Cursor pagination, on every list of the JSON API (ADR 0060).

A cursor is opaque to clients: base64url of a small JSON object. The portal's lists are
short (a resident's meters, receipts, linked accounts), so the cursor carries the offset
of the next item and a fingerprint of the list it was cut from; a list that changed in
between is read again from its start rather than skipping or repeating items silently.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Callable, Sequence
from typing import Annotated, Generic, TypeVar

import msgspec
from litestar.params import QueryParameter

from lk_web.api.problems import ApiProblem

T = TypeVar("T")

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
Limit = Annotated[int, QueryParameter(ge=1, le=MAX_LIMIT, description="Сколько записей за раз")]
"""The `limit` query parameter of a list."""
Cursor = Annotated[
    str | None,
    QueryParameter(description="Курсор следующей страницы из `next_cursor`; без него — первая"),
]
"""The `cursor` query parameter of a list."""


class CursorPage(msgspec.Struct, Generic[T], frozen=True):
    """One page of a list: its items, and the cursor of the next page (null on the last)."""

    items: list[T]
    next_cursor: str | None


class _Position(msgspec.Struct, frozen=True):
    offset: int
    fingerprint: str


def _fingerprint(keys: Sequence[str]) -> str:
    return hashlib.blake2b("\x1f".join(keys).encode(), digest_size=6).hexdigest()


def encode_cursor(offset: int, fingerprint: str) -> str:
    raw = msgspec.json.encode(_Position(offset, fingerprint))
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[int, str]:
    """The position a cursor names; a cursor this API did not write is refused naming it."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        position = msgspec.json.decode(raw, type=_Position)
    except (binascii.Error, ValueError, msgspec.DecodeError):
        raise ApiProblem.invalid_field(
            "cursor", "Поле «cursor»: курсор не распознан", "invalid_cursor"
        ) from None
    if position.offset < 0:
        raise ApiProblem.invalid_field(
            "cursor", "Поле «cursor»: курсор не распознан", "invalid_cursor"
        )
    return position.offset, position.fingerprint


def page_of(
    items: Sequence[T],
    key: Callable[[T], str],
    cursor: str | None,
    limit: int = DEFAULT_LIMIT,
) -> CursorPage[T]:
    """The page of `items` (in their order, each named by `key`) that `cursor` points to."""
    fingerprint = _fingerprint([key(item) for item in items])
    offset = 0
    if cursor:
        offset, cut_from = decode_cursor(cursor)
        if cut_from != fingerprint:
            offset = 0
    chunk = list(items[offset : offset + limit])
    following = offset + len(chunk)
    next_cursor = encode_cursor(following, fingerprint) if following < len(items) else None
    return CursorPage(chunk, next_cursor)
