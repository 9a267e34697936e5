"""The one-time codes of the staff's second factor (ADR 0072): the enrolment code an
operator hands over with the password, and the recovery codes shown once at enrolment.

Both are random from `secrets`, typed by hand (Latin capitals and digits 2–7, in groups of
four; case, spaces and dashes do not matter) and stored only as SHA-256 hashes: with 140
and 80 random bits no guess list can reverse a hash, so no key is needed (and rotating
`LK_SECRET_KEY` leaves them valid).
"""

from __future__ import annotations

import hashlib
import re
import secrets

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"  # RFC 4648 base32: 5 bits a character
ENROLMENT_CODE_LENGTH = 28  # 140 bits
RECOVERY_CODE_LENGTH = 16  # 80 bits
RECOVERY_CODES = 10
_TOTP_CODE = re.compile(r"^[0-9]{6}$")


def normalized_code(text: str) -> str:
    """A typed code without spaces or dashes, in capitals."""
    return "".join(ch for ch in text.upper() if ch not in " \t-")


def code_hash(text: str) -> str:
    """The stored form of a typed enrolment or recovery code."""
    return hashlib.sha256(normalized_code(text).encode()).hexdigest()


def is_totp_code(text: str) -> bool:
    """Six digits (an authenticator's code), as opposed to a recovery code."""
    return bool(_TOTP_CODE.match(normalized_code(text)))


def _grouped(length: int) -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(length))
    return "-".join(raw[i : i + 4] for i in range(0, length, 4))


def new_enrolment_code() -> str:
    """A one-time enrolment code, e.g. `ABCD-EFGH-…` (seven groups)."""
    return _grouped(ENROLMENT_CODE_LENGTH)


def new_recovery_codes(count: int = RECOVERY_CODES) -> tuple[str, ...]:
    """Fresh recovery codes, e.g. `ABCD-EFGH-IJKL-MNOP`, all different."""
    codes: set[str] = set()
    while len(codes) < count:
        codes.add(_grouped(RECOVERY_CODE_LENGTH))
    return tuple(sorted(codes))
