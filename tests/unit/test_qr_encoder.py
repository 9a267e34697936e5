"""The receipts' fast QR encoder makes the very code segno makes, and a decoder reads it."""

from __future__ import annotations

import segno
import zxingcpp
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from lk_adapters.receipts.qr import MASK, QUIET, qr_bits
from lk_adapters.receipts.qr_encoder import encode

texts = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=700)


@given(text=texts, mask=st.integers(0, 7))
@settings(max_examples=150, deadline=None)
def test_every_module_is_the_one_segno_places_with_the_same_mask(text: str, mask: int) -> None:
    reference = segno.make_qr(
        text, error="m", mode="byte", encoding="utf-8", mask=mask, boost_error=False
    )

    assert [bytes(row) for row in encode(text.encode(), mask)] == [
        bytes(row) for row in reference.matrix
    ]


def picture(text: str) -> Image.Image:
    """The 1-bit image the receipt embeds, drawn 4 pixels a module."""
    side, bits = qr_bits(text)
    image = Image.frombytes("1", (side, side), bits).point(lambda v: 255 - v)
    return image.resize((side * 4, side * 4), Image.Resampling.NEAREST)


@given(text=st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=400))
@settings(max_examples=40, deadline=None)
def test_a_decoder_reads_the_receipt_image_back_to_the_same_text(text: str) -> None:
    (result,) = zxingcpp.read_barcodes(picture(text))

    assert result.text == text


def test_the_image_has_a_quiet_zone_and_the_fixed_mask() -> None:
    side, bits = qr_bits("ST00012|Name=x")

    assert side == 21 + 2 * QUIET
    assert bits[: (side + 7) // 8] == bytes((side + 7) // 8)
    assert MASK == 2
