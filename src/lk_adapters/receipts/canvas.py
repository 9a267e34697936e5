"""Drawing operations on one A4 page, with y measured down from the top edge."""

from __future__ import annotations

from lk_adapters.receipts.fonts import ReceiptFont
from lk_adapters.receipts.pdf import A4

HEIGHT = A4[1]


def _words(text: str) -> list[str]:
    """The text's words, an abbreviation kept with what follows it («кв. 18», «д. 8»,
    «№ 5»), as Russian typesetting keeps them on one line."""
    words: list[str] = []
    for word in text.split():
        if words and _leans_on_next(words[-1].rsplit(" ", 1)[-1]):
            words[-1] = f"{words[-1]} {word}"
        else:
            words.append(word)
    return words


def _leans_on_next(word: str) -> bool:
    return word == "№" or (len(word) <= 5 and word.endswith(".") and word[:-1].isalpha())


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

    def wrap(self, text: str, width: float, size: float = 8, *, bold: bool = False) -> list[str]:
        """The text as lines that each fit in `width`: broken at spaces, and inside a word
        only when the word alone is wider than a line (an e-mail address, a long number).
        Nothing is left out; text that fits is one line, measured once."""
        font = self.fonts["F2" if bold else "F1"]
        if font.width(text, size) <= width:
            return [text]
        lines: list[str] = []
        current = ""
        for word in _words(text):
            candidate = f"{current} {word}" if current else word
            if font.width(candidate, size) <= width:
                current = candidate
                continue
            if current:
                lines.append(current)
            while font.width(word, size) > width:
                cut = self._fitting_prefix(word, width, size, bold=bold)
                lines.append(word[:cut])
                word = word[cut:]
            current = word
        return [*lines, current] if current else lines

    def _fitting_prefix(self, word: str, width: float, size: float, *, bold: bool) -> int:
        """How many leading characters of the word go on a line of `width` (at least one):
        up to a hyphen in the line's second half if there is one («Иванова-» / «Петрова»)."""
        font = self.fonts["F2" if bold else "F1"]
        used = 0.0
        for index, char in enumerate(word):
            used += font.width(char, size)
            if used > width:
                hyphen = word.rfind("-", index // 2, index)
                return hyphen + 1 if hyphen > 0 else max(index, 1)
        return len(word)

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
