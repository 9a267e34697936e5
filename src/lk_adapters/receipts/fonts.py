"""The receipt fonts, read once per process: glyph codes, widths and the ready PDF objects.

A font is embedded as a Type 0 font with Identity-H encoding, so a character is drawn by
its glyph id as two bytes; the ToUnicode map lets viewers copy and search the text.
"""

from __future__ import annotations

import functools
import io
import zlib
from pathlib import Path

from fontTools.ttLib import TTFont

FOLDER = Path(__file__).parent / "fonts"


class ReceiptFont:
    """A subsetted TrueType font: hex codes and widths per character, and its PDF objects."""

    def __init__(self, path: Path, name: str) -> None:
        data = path.read_bytes()
        font = TTFont(io.BytesIO(data))
        scale = 1000 / font["head"].unitsPerEm
        order = font.getGlyphOrder()
        gid = {glyph: index for index, glyph in enumerate(order)}
        cmap = font.getBestCmap()
        metrics = font["hmtx"].metrics
        self.name = name
        self.codes: dict[str, str] = {}
        self.widths: dict[str, float] = {}
        self._unicode_of: dict[int, int] = {}
        for code_point, glyph in sorted(cmap.items()):
            self.codes[chr(code_point)] = f"{gid[glyph]:04X}"
            self.widths[chr(code_point)] = metrics[glyph][0] * scale
            self._unicode_of.setdefault(gid[glyph], code_point)
        self._missing = self.codes.get("?", "0000"), self.widths.get("?", 500.0)
        self.glyph_widths = [round(metrics[glyph][0] * scale) for glyph in order]
        head, hhea, os2 = font["head"], font["hhea"], font["OS/2"]
        self.ascent = round(hhea.ascent * scale)
        self.descent = round(hhea.descent * scale)
        self.bbox = [round(v * scale) for v in (head.xMin, head.yMin, head.xMax, head.yMax)]
        self.cap_height = round(getattr(os2, "sCapHeight", hhea.ascent) * scale)
        self.file = zlib.compress(data, 9)
        self.file_length = len(data)

    def hex(self, text: str) -> str:
        codes, missing = self.codes, self._missing[0]
        return "".join([codes.get(ch, missing) for ch in text])

    def width(self, text: str, size: float) -> float:
        widths, missing = self.widths, self._missing[1]
        return sum([widths.get(ch, missing) for ch in text]) * size / 1000

    def to_unicode(self) -> bytes:
        """The ToUnicode CMap: glyph id → character."""
        pairs = sorted(self._unicode_of.items())
        lines = [
            "/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
            "/CMapName /Adobe-Identity-UCS def /CMapType 2 def",
            "1 begincodespacerange <0000> <FFFF> endcodespacerange",
        ]
        for start in range(0, len(pairs), 100):
            chunk = pairs[start : start + 100]
            lines.append(f"{len(chunk)} beginbfchar")
            lines.extend(f"<{g:04X}> <{u:04X}>" for g, u in chunk)
            lines.append("endbfchar")
        lines.append("endcmap CMapName currentdict /CMap defineresource pop end end")
        return "\n".join(lines).encode("ascii")


@functools.cache
def regular() -> ReceiptFont:
    return ReceiptFont(FOLDER / "DejaVuSans-receipt.ttf", "DejaVuSans")


@functools.cache
def bold() -> ReceiptFont:
    return ReceiptFont(FOLDER / "DejaVuSans-Bold-receipt.ttf", "DejaVuSans-Bold")
