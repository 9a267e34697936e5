"""The app icon: a white house on the company's colour, as SVG and as PNG.

The PNG is written here (zlib and a few chunks) rather than with an imaging library: the
shape is three rectangles and a triangle, and home screens want PNG sizes.
"""

from __future__ import annotations

import struct
import zlib

# The house in a unit square: the roof's corners, the walls, the door.
ROOF = ((0.5, 0.2), (0.16, 0.5), (0.84, 0.5))
WALLS = (0.26, 0.48, 0.74, 0.8)
DOOR = (0.44, 0.6, 0.56, 0.8)


def icon_svg(colour: str) -> str:
    roof = " ".join(f"{x * 100:g},{y * 100:g}" for x, y in ROOF)
    x0, y0, x1, y1 = (v * 100 for v in WALLS)
    d0, e0, d1, e1 = (v * 100 for v in DOOR)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">'
        f'<rect width="100" height="100" fill="{colour}"/>'
        f'<polygon points="{roof}" fill="#fff"/>'
        f'<rect x="{x0:g}" y="{y0:g}" width="{x1 - x0:g}" height="{y1 - y0:g}" fill="#fff"/>'
        f'<rect x="{d0:g}" y="{e0:g}" width="{d1 - d0:g}" height="{e1 - e0:g}" fill="{colour}"/>'
        "</svg>"
    )


def _inside(x: float, y: float, box: tuple[float, float, float, float]) -> bool:
    return box[0] <= x < box[2] and box[1] <= y < box[3]


def _under_roof(x: float, y: float) -> bool:
    (ax, ay), (bx, by), (cx, _cy) = ROOF
    if not ay <= y < by:
        return False
    reach = (y - ay) / (by - ay)
    return ax - (ax - bx) * reach <= x < ax + (cx - ax) * reach


def icon_png(size: int, colour: str) -> bytes:
    """The icon as an RGB PNG of `size` × `size` pixels."""
    brand = bytes.fromhex(colour.removeprefix("#"))
    white = b"\xff\xff\xff"
    rows = []
    for py in range(size):
        y = (py + 0.5) / size
        row = bytearray(b"\x00")  # filter: none
        for px in range(size):
            x = (px + 0.5) / size
            house = (_under_roof(x, y) or _inside(x, y, WALLS)) and not _inside(x, y, DOOR)
            row += white if house else brand
        rows.append(bytes(row))
    return _png_file(size, b"".join(rows))


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png_file(size: int, raw: bytes) -> bytes:
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(raw, 9))
        + _chunk(b"IEND", b"")
    )
