"""The payment QR code as modules: for the PDF a 1-bit image, for the web page an SVG."""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape

from lk_adapters.receipts.qr_encoder import encode

# A fixed mask skips the search over all eight (the costliest step of making a code):
# every mask gives a valid code; the search only tunes how evenly dark and light mix.
MASK = 2
QUIET = 4


def qr_matrix(payload: str) -> tuple[bytearray, ...]:
    """The modules (1 = dark) of the payload's code: byte mode UTF-8, level M, no ECI."""
    return encode(payload.encode("utf-8"), MASK)


def qr_bits(payload: str) -> tuple[int, bytes]:
    """The code with its quiet zone as a square 1-bit image: side and packed rows."""
    matrix = qr_matrix(payload)
    side = len(matrix) + 2 * QUIET
    row_bytes = (side + 7) // 8
    blank = bytes(row_bytes)
    rows = [blank] * QUIET
    table = bytes.maketrans(b"\x00\x01", b"01")
    pad = "0" * QUIET
    for row in matrix:
        text = pad + bytes(row).translate(table).decode("ascii") + pad
        rows.append(int(text.ljust(row_bytes * 8, "0"), 2).to_bytes(row_bytes, "big"))
    rows += [blank] * QUIET
    return side, b"".join(rows)


DARK_RUN = re.compile(rb"\x01+")


# A resident opening the main page again sees the same code: what is due changes only
# with a billing import or the period chosen. 1,024 codes of some 10 KB each at most.
@lru_cache(maxsize=1024)
def qr_svg(payload: str, title: str) -> str:
    """An inline SVG of the code, for the main page: one path of horizontal strokes, a run
    of dark modules each, drawn from the same matrix as the receipt's (no mask search, so
    it costs a fraction of a millisecond per page; a page shown again reuses it)."""
    matrix = qr_matrix(payload)
    side = len(matrix) + 2 * QUIET
    strokes = [
        f"M{run.start() + QUIET} {y + QUIET}.5h{run.end() - run.start()}"
        for y, row in enumerate(matrix)
        for run in DARK_RUN.finditer(row)
    ]
    return (
        f'<svg viewBox="0 0 {side} {side}" class="qr" role="img"><title>{escape(title)}</title>'
        f'<path fill="#fff" d="M0 0h{side}v{side}h-{side}z"/>'
        f'<path stroke="#000" d="{"".join(strokes)}"/></svg>'
    )
