"""A request's photos: what a resident uploads, what the portal keeps of it, and where.

The portal never keeps an upload as sent: a `PhotoProcessor` checks it by content and
re-encodes it, without EXIF and GPS data, into a photo and a thumbnail (ADR 0064).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Protocol

import attrs

_ID = re.compile(r"^[0-9a-f]{32}$")


class Readable(Protocol):
    """A stream an upload is read from, a chunk at a time."""

    def read(self, size: int = -1, /) -> bytes: ...


@attrs.frozen
class PhotoUpload:
    """A file a resident attached: its name (shown in messages, never trusted) and content."""

    filename: str
    content: Readable


@attrs.frozen
class ProcessedPhoto:
    """An upload re-encoded: the photo to keep, its thumbnail, both JPEG."""

    image: bytes = attrs.field(repr=False)
    thumbnail: bytes = attrs.field(repr=False)
    width: int
    height: int
    source_format: str  # "jpeg", "png" or "heic": what the upload turned out to be


@attrs.frozen
class RequestPhoto:
    """What storage records of a kept photo; the bytes are in the photo store."""

    id: str
    request_id: str
    position: int
    width: int
    height: int
    size: int
    source_format: str
    added_at: dt.datetime

    def key(self, *, thumbnail: bool = False) -> str:
        """Where the photo store keeps it."""
        return photo_key(self.request_id, self.id, thumbnail=thumbnail)


def photo_key(request_id: str, photo_id: str, *, thumbnail: bool = False) -> str:
    """`requests/<request>/<photo>.jpg` (or `.thumb.jpg`): ids only, never a resident's
    file name, so a key is always a safe path and object name."""
    if not (_ID.match(request_id) and _ID.match(photo_id)):
        raise ValueError("photo keys are made of ids only")
    return f"requests/{request_id}/{photo_id}{'.thumb' if thumbnail else ''}.jpg"
