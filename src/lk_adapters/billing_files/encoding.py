"""Telling UTF-8 from Windows-1251, the two encodings Russian billing systems export in.

Only the first stretch of non-ASCII bytes is looked at, so a file with a Cyrillic header
is decided at once and an all-ASCII prefix costs one fast pass over bytes.
"""

from __future__ import annotations

import codecs
from pathlib import Path

UTF8 = "utf-8"
UTF8_BOM = "utf-8-sig"
WINDOWS_1251 = "cp1251"

_CHUNK = 1 << 20
_ALIASES = {
    "utf8": UTF8,
    "utf-8": UTF8,
    "utf-8-sig": UTF8_BOM,
    "cp1251": WINDOWS_1251,
    "windows-1251": WINDOWS_1251,
    "win1251": WINDOWS_1251,
    "1251": WINDOWS_1251,
}


def normalise_encoding(name: str) -> str:
    """An encoding name as operators type it, in the codec name Python knows."""
    try:
        return _ALIASES[name.strip().lower()]
    except KeyError:
        codecs.lookup(name)  # raises LookupError for a name Python does not know
        return name


def has_bom(path: Path) -> bool:
    with path.open("rb") as raw:
        return raw.read(len(codecs.BOM_UTF8)) == codecs.BOM_UTF8


def detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) if the first non-ASCII bytes are UTF-8, else Windows-1251."""
    if has_bom(path):
        return UTF8_BOM
    with path.open("rb") as raw:
        while chunk := raw.read(_CHUNK):
            if chunk.isascii():
                continue
            # Padding with a few more bytes keeps a character cut by the chunk edge whole.
            chunk += raw.read(4)
            return UTF8 if _looks_like_utf8(chunk) else WINDOWS_1251
    return UTF8


def _looks_like_utf8(chunk: bytes) -> bool:
    decoder = codecs.getincrementaldecoder(UTF8)()
    try:
        decoder.decode(chunk, final=False)
    except UnicodeDecodeError as error:
        # Valid multi-byte characters before the bad byte mean a UTF-8 file with a
        # damaged spot (reported by line later), not a Windows-1251 file.
        return not chunk[: error.start].isascii()
    return True


def first_undecodable_line(path: Path, encoding: str) -> int | None:
    """The 1-based physical line holding the first bytes the encoding cannot decode."""
    codec = UTF8 if encoding == UTF8_BOM else encoding
    with path.open("rb") as raw:
        for number, line in enumerate(raw, start=1):
            try:
                line.decode(codec)
            except UnicodeDecodeError:
                return number
    return None
