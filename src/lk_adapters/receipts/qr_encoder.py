"""A fast QR code encoder for one shape of code: byte mode, level M, one fixed mask.

Month close makes one code per receipt; a general encoder spends most of its time placing
modules one by one and searching masks (ADR 0020). Here each version's layout (function
patterns, format and version information, the order of data modules and the mask over
them) is worked out once per process, with segno's own pattern functions and tables; a
code is then the codewords (Reed–Solomon with a table per generator, one integer step
per byte) scattered into a copy of that layout. The result is the very matrix segno makes
with the same mask (tests/unit/test_qr_encoder.py).
"""

from __future__ import annotations

import functools
from itertools import zip_longest
from typing import Any

from segno import consts as segno_consts
from segno import encoder as segno_encoder

# segno's internals are untyped; they are used here for its tables and fixed patterns only.
consts: Any = segno_consts
encoder: Any = segno_encoder

LEVEL = consts.ERROR_LEVEL_M
_REMAINDER = (
    dict.fromkeys(range(2, 7), 7)
    | dict.fromkeys((*range(14, 21), *range(28, 35)), 3)
    | dict.fromkeys(range(21, 28), 4)
)


def _gf_tables() -> tuple[list[int], list[int]]:
    exp, log = [0] * 512, [0] * 256
    value = 1
    for power in range(255):
        exp[power] = value
        log[value] = power
        value <<= 1
        if value & 0x100:
            value ^= 0x11D
    for power in range(255, 512):
        exp[power] = exp[power - 255]
    return exp, log


_EXP, _LOG = _gf_tables()


def _mul(a: int, b: int) -> int:
    return 0 if a == 0 or b == 0 else _EXP[_LOG[a] + _LOG[b]]


@functools.cache
def _generator_table(ec: int) -> tuple[int, ...]:
    """For each leading factor, the generator's coefficients times it, as one integer."""
    poly = [1]
    for i in range(ec):
        poly = [a ^ _mul(b, _EXP[i]) for a, b in zip([*poly, 0], [0, *poly], strict=True)]
    tail = poly[1:]
    return tuple(int.from_bytes(bytes(_mul(c, f) for c in tail), "big") for f in range(256))


def _ec_codewords(data: bytes, ec: int) -> bytes:
    table, shift, full = _generator_table(ec), 8 * (ec - 1), (1 << 8 * ec) - 1
    remainder = 0
    for byte in data:
        remainder = ((remainder << 8) & full) ^ table[byte ^ (remainder >> shift)]
    return remainder.to_bytes(ec, "big")


@functools.cache
def _capacity(version: int) -> int:
    return sum(info.num_blocks * info.num_data for info in consts.ECC[version][LEVEL])


def _version_for(length: int) -> int:
    for version in range(1, 41):
        count_bits = 8 if version < 10 else 16
        if 4 + count_bits + 8 * length <= 8 * _capacity(version):
            return version
    raise ValueError("too much data for a QR code")


class _Layout:
    """One version's fixed modules and where the data bits go, masked."""

    def __init__(self, version: int, mask: int) -> None:
        size = encoder.calc_matrix_size(version)
        matrix = encoder.make_matrix(size, size)
        encoder.add_finder_patterns(matrix, size, size)
        encoder.add_alignment_patterns(matrix, size, size)
        positions: list[tuple[int, int]] = []
        for right in range(size - 1, 0, -2):
            if right <= 6:
                right -= 1
            for vertical in range(size):
                for z in (0, 1):
                    j = right - z
                    upwards = ((right & 2) == 0) ^ (j < 6)
                    i = (size - 1 - vertical) if upwards else vertical
                    if matrix[i][j] == 0x2:
                        positions.append((i, j))
        encoder.add_format_info(matrix, version, LEVEL, mask)
        encoder.add_version_info(matrix, version)
        masked = encoder.get_data_mask_functions(False)[mask]
        self.size = size
        self.template = b"".join(bytes(row) for row in matrix)
        self.offsets = [i * size + j for i, j in positions]
        self.mask = int("".join("1" if masked(i, j) else "0" for i, j in positions), 2)
        self.bits = len(positions)
        self.blocks = [
            (info.num_total - info.num_data, info.num_data)
            for info in consts.ECC[version][LEVEL]
            for _ in range(info.num_blocks)
        ]


@functools.cache
def _layout(version: int, mask: int) -> _Layout:
    return _Layout(version, mask)


def encode(data: bytes, mask: int) -> tuple[bytearray, ...]:
    """The modules (1 = dark), row by row, of `data` in byte mode at level M."""
    version = _version_for(len(data))
    layout = _layout(version, mask)
    capacity = _capacity(version)
    count_bits = 8 if version < 10 else 16
    stream = (0b0100 << count_bits | len(data)) << 8 * len(data) | int.from_bytes(data, "big")
    length = 4 + count_bits + 8 * len(data)
    terminator = min(4, 8 * capacity - length)
    # As segno does: padding bits to the byte boundary, a whole zero byte when already
    # there (decoders stop at the terminator), so the two encoders agree module for module.
    padding = 8 - (length + terminator) % 8
    stream <<= terminator + padding
    message = stream.to_bytes((length + terminator + padding) // 8, "big")[:capacity]
    message += (b"\xec\x11" * capacity)[: capacity - len(message)]
    data_blocks, ec_blocks, start = [], [], 0
    for ec, size in layout.blocks:
        block = message[start : start + size]
        start += size
        data_blocks.append(block)
        ec_blocks.append(_ec_codewords(block, ec))
    interleaved = bytes(
        byte for column in zip_longest(*data_blocks) for byte in column if byte is not None
    ) + bytes(byte for column in zip(*ec_blocks, strict=True) for byte in column)
    value = int.from_bytes(interleaved, "big") << _REMAINDER.get(version, 0)
    bits = format(value ^ layout.mask, f"0{layout.bits}b").encode("ascii")
    cells = bytearray(layout.template)
    for offset, bit in zip(layout.offsets, bits, strict=True):
        cells[offset] = bit - 48
    size = layout.size
    return tuple(cells[row : row + size] for row in range(0, size * size, size))
