"""A small PDF writer for one kind of document: A4 pages of text, lines and one 1-bit image.

The fonts and the catalogue are serialised once per process (`PdfTemplate`); a document
adds only its pages, their content streams and the QR image (ADR 0021).
"""

from __future__ import annotations

import functools
import zlib

from lk_adapters.receipts.fonts import ReceiptFont, bold, regular

A4 = (595.28, 841.89)
HEADER = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
FONT_NAMES = ("F1", "F2")


def _stream(number: int, dictionary: str, data: bytes) -> bytes:
    head = f"{number} 0 obj\n<< {dictionary} /Length {len(data)} >>\nstream\n".encode("ascii")
    return head + data + b"\nendstream\nendobj\n"


def _object(number: int, body: str) -> bytes:
    return f"{number} 0 obj\n{body}\nendobj\n".encode("ascii")


def _font_objects(first: int, font: ReceiptFont) -> list[bytes]:
    """Type 0 font, its CID font, descriptor, font file and ToUnicode map."""
    t0, cid, descriptor, file, unicode = range(first, first + 5)
    widths = " ".join(str(w) for w in font.glyph_widths)
    return [
        _object(
            t0,
            f"<< /Type /Font /Subtype /Type0 /BaseFont /{font.name} /Encoding /Identity-H "
            f"/DescendantFonts [{cid} 0 R] /ToUnicode {unicode} 0 R >>",
        ),
        _object(
            cid,
            f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /{font.name} "
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
            f"/FontDescriptor {descriptor} 0 R /CIDToGIDMap /Identity /W [0 [{widths}]] >>",
        ),
        _object(
            descriptor,
            f"<< /Type /FontDescriptor /FontName /{font.name} /Flags 32 "
            f"/FontBBox [{' '.join(map(str, font.bbox))}] /ItalicAngle 0 "
            f"/Ascent {font.ascent} /Descent {font.descent} /CapHeight {font.cap_height} "
            f"/StemV 80 /FontFile2 {file} 0 R >>",
        ),
        _stream(file, f"/Filter /FlateDecode /Length1 {font.file_length}", font.file),
        _stream(unicode, "/Filter /FlateDecode", zlib.compress(font.to_unicode(), 9)),
    ]


class PdfTemplate:
    """Objects 1 (catalogue) and 3–12 (two fonts) ready-made; 2 is the page tree."""

    FIRST_FREE = 13

    def __init__(self) -> None:
        self.fonts = (regular(), bold())
        static = [_object(1, "<< /Type /Catalog /Pages 2 0 R >>")]
        static += _font_objects(3, self.fonts[0]) + _font_objects(8, self.fonts[1])
        self.offsets: dict[int, int] = {}
        position = len(HEADER)
        numbers = [1, *range(3, 13)]
        for number, body in zip(numbers, static, strict=True):
            self.offsets[number] = position
            position += len(body)
        self.prefix = HEADER + b"".join(static)
        self.resources = "/Font << /F1 3 0 R /F2 8 0 R >>"

    def document(self, pages: list[bytes], image: tuple[int, bytes] | None) -> bytes:
        """A whole file: `pages` are content streams; `image` is (side, 1-bit rows) of a
        square image named /Q, dark where a bit is 1."""
        parts = [self.prefix]
        offsets = dict(self.offsets)
        position = len(self.prefix)
        number = self.FIRST_FREE
        xobjects = ""

        def add(body: bytes) -> None:
            nonlocal position, number
            offsets[number] = position
            parts.append(body)
            position += len(body)
            number += 1

        if image is not None:
            side, bits = image
            xobjects = f" /XObject << /Q {number} 0 R >>"
            add(
                _stream(
                    number,
                    f"/Type /XObject /Subtype /Image /Width {side} /Height {side} "
                    "/ColorSpace /DeviceGray /BitsPerComponent 1 /Decode [1 0] "
                    "/Interpolate false /Filter /FlateDecode",
                    zlib.compress(bits, 6),
                )
            )
        page_numbers = []
        for content in pages:
            content_number = number
            add(_stream(number, "/Filter /FlateDecode", zlib.compress(content, 6)))
            page_numbers.append(number)
            add(
                _object(
                    number,
                    f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {A4[0]} {A4[1]}] "
                    f"/Resources << {self.resources}{xobjects} >> "
                    f"/Contents {content_number} 0 R >>",
                )
            )
        kids = " ".join(f"{n} 0 R" for n in page_numbers)
        offsets[2] = position
        parts.append(_object(2, f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>"))
        position += len(parts[-1])
        count = number
        xref = [f"xref\n0 {count}\n0000000000 65535 f \n"]
        xref += [f"{offsets[n]:010d} 00000 n \n" for n in range(1, count)]
        trailer = f"trailer\n<< /Size {count} /Root 1 0 R >>\nstartxref\n{position}\n%%EOF\n"
        parts.append(("".join(xref) + trailer).encode("ascii"))
        return b"".join(parts)


@functools.cache
def template() -> PdfTemplate:
    """One template per process."""
    return PdfTemplate()
