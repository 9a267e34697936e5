"""What every photo store accepts as a key: slash-separated names of safe characters, so a
key is a relative path in a folder and an object name in a bucket alike."""

from __future__ import annotations

import re

_SEGMENT = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$")


def checked_key(key: str) -> str:
    """The key, if every segment is safe (no `..`, no leading dot, no empty segment)."""
    segments = key.split("/")
    if len(segments) > 8 or not all(_SEGMENT.match(s) and ".." not in s for s in segments):
        raise ValueError(f"not a photo key: {key!r}")
    return key
