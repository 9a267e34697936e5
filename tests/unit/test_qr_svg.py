"""The main page's QR code SVG draws exactly the receipt's modules, inside a quiet zone."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from lk_adapters.receipts.qr import QUIET, qr_matrix, qr_svg

STROKE = re.compile(r"M(\d+) (\d+)\.5h(\d+)")


def modules_drawn(svg: str, side: int) -> list[list[int]]:
    drawn = [[0] * side for _ in range(side)]
    path = re.findall(r'<path stroke="#000" d="([^"]*)"', svg)[0]
    for x, y, length in STROKE.findall(path):
        for column in range(int(x), int(x) + int(length)):
            drawn[int(y)][column] = 1
    return drawn


@given(st.text(min_size=1, max_size=300))
def test_the_svg_draws_every_dark_module_and_no_other(text: str) -> None:
    matrix = qr_matrix(text)
    side = len(matrix) + 2 * QUIET

    svg = qr_svg(text, "QR-код")

    assert f'viewBox="0 0 {side} {side}"' in svg
    expected = [[0] * side for _ in range(side)]
    for y, row in enumerate(matrix):
        for x, module in enumerate(row):
            expected[y + QUIET][x + QUIET] = module
    assert modules_drawn(svg, side) == expected


def test_the_title_is_escaped() -> None:
    assert "<title>a &lt;b&gt; &amp; c</title>" in qr_svg("ST00012|Sum=1", "a <b> & c")
