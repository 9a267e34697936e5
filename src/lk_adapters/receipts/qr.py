"""The payment QR code as modules: for the PDF a 1-bit image, for the web page an SVG."""

from __future__ import annotations

import segno

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


def qr_svg(payload: str, title: str) -> str:
    """An inline SVG of the code (one path), for the main page."""
    code = segno.make_qr(payload, error="m", encoding="utf-8", boost_error=False)
    svg: str = code.svg_inline(border=QUIET, omitsize=True, title=title, dark="#000", light="#fff")
    return svg
