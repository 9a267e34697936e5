"""How long an SMS is, in the segments an operator bills: 160 characters of the GSM 7-bit
alphabet (153 a segment once split), or 70 UCS-2 code units (67 once split) as soon as
one character is outside it, as any Cyrillic letter is (3GPP TS 23.038)."""

from __future__ import annotations

import attrs

_GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXTENDED = set("^{}\\[~]|€\f")


@attrs.frozen
class SmsLength:
    """Characters as the network counts them, the segments, and how many fit one."""

    units: int
    segments: int
    per_segment: int
    unicode: bool


def sms_length(text: str) -> SmsLength:
    if all(char in _GSM_BASIC or char in _GSM_EXTENDED for char in text):
        units = sum(2 if char in _GSM_EXTENDED else 1 for char in text)
        single, split, unicode = 160, 153, False
    else:
        units = len(text.encode("utf-16-le")) // 2
        single, split, unicode = 70, 67, True
    if units <= single:
        return SmsLength(units, 1 if units else 0, single, unicode)
    return SmsLength(units, -(-units // split), split, unicode)
