"""Make the receipt fonts: DejaVu Sans and Sans Bold cut down to Latin, Cyrillic and the
punctuation a receipt uses, so every PDF embeds a few tens of kilobytes, not a megabyte.

Run once when the character set changes (needs fontTools and Debian's fonts-dejavu-core):
    .venv/bin/python scripts/subset-fonts.py
"""

from pathlib import Path

from fontTools import subset

SOURCE = Path("/usr/share/fonts/truetype/dejavu")
TARGET = Path(__file__).resolve().parent.parent / "src/lk_adapters/receipts/fonts"
CHARACTERS = (
    [*range(0x20, 0x7F), 0xA0, 0xAB, 0xB0, 0xB2, 0xB3, 0xB7, 0xBB, 0xD7]
    + [*range(0x400, 0x460), 0x2013, 0x2014, 0x2026, 0x2116, 0x20BD, 0x2212, 0x202F]
)


def main() -> None:
    for name in ("DejaVuSans", "DejaVuSans-Bold"):
        options = subset.Options()
        options.hinting = False
        options.layout_features = []
        options.name_IDs = [0, 1, 2, 3, 4, 5, 6]
        options.glyph_names = False
        options.notdef_outline = True
        font = subset.load_font(str(SOURCE / f"{name}.ttf"), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=CHARACTERS)
        subsetter.subset(font)
        subset.save_font(font, str(TARGET / f"{name}-receipt.ttf"), options)


if __name__ == "__main__":
    main()
