"""Drawing operations on one A4 page, with y measured down from the top edge."""

from __future__ import annotations

from lk_adapters.receipts.fonts import ReceiptFont
from lk_adapters.receipts.pdf import A4

HEIGHT = A4[1]


class Canvas:
    """Collects a page's content stream: text in the two fonts, rules, boxes, the QR image."""

    def __init__(self, regular: ReceiptFont, bold: ReceiptFont) -> None:
        self.fonts = {"F1": regular, "F2": bold}
        self._ops: list[str] = []

    def text(self, x: float, y: float, text: str, size: float = 8, *, bold: bool = False) -> None:
        name = "F2" if bold else "F1"
        code = self.fonts[name].hex(text)
        self._ops.append(f"BT /{name} {size:g} Tf {x:.2f} {HEIGHT - y:.2f} Td <{code}> Tj ET")

    def right(self, x: float, y: float, text: str, size: float = 8, *, bold: bool = False) -> None:
        """Text that ends at `x` (numbers in columns)."""
        font = self.fonts["F2" if bold else "F1"]
        self.text(x - font.width(text, size), y, text, size, bold=bold)

    def fit(self, text: str, width: float, size: float = 8, *, bold: bool = False) -> str:
        """The text cut with «…» so that it fits in `width`."""
        font = self.fonts["F2" if bold else "F1"]
        if font.width(text, size) <= width:
            return text
        while text and font.width(text + "…", size) > width:
            text = text[:-1]
        return text + "…"

    def wrap(self, text: str, width: float, size: float = 8) -> list[str]:
        """The text broken into lines at spaces so that each fits in `width`."""
        font = self.fonts["F1"]
        lines: list[str] = []
        current = ""
        for word in text.split():
            candidate = f"{current} {word}" if current else word
            if current and font.width(candidate, size) > width:
                lines.append(current)
                current = word
            else:
                current = candidate
        return [*lines, current] if current else lines

    def line(self, x1: float, y1: float, x2: float, y2: float, width: float = 0.5) -> None:
        self._ops.append(f"{width:g} w {x1:.2f} {HEIGHT - y1:.2f} m {x2:.2f} {HEIGHT - y2:.2f} l S")

    def box(self, x: float, y: float, w: float, h: float, width: float = 0.5) -> None:
        self._ops.append(f"{width:g} w {x:.2f} {HEIGHT - y - h:.2f} {w:.2f} {h:.2f} re S")

    def shade(self, x: float, y: float, w: float, h: float, gray: float = 0.9) -> None:
        """A light grey band behind headings; prints clearly in black and white."""
        self._ops.append(f"{gray:g} g {x:.2f} {HEIGHT - y - h:.2f} {w:.2f} {h:.2f} re f 0 g")

    def image(self, x: float, y: float, side: float) -> None:
        """The page's /Q image, as a square of `side` points with its top-left at (x, y)."""
        self._ops.append(f"q {side:.2f} 0 0 {side:.2f} {x:.2f} {HEIGHT - y - side:.2f} cm /Q Do Q")

    def raw(self, ops: str) -> None:
        """Operations prepared earlier (the page's static frame)."""
        self._ops.append(ops)

    def content(self) -> bytes:
        return "\n".join(self._ops).encode("ascii")
