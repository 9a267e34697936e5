"""The shipped list of common passwords, loaded once."""

from __future__ import annotations

from functools import cache
from pathlib import Path

LIST = Path(__file__).with_name("common-passwords.txt")


@cache
def load_common_passwords() -> frozenset[str]:
    """Lower-cased common passwords (the password check compares case-insensitively)."""
    with LIST.open(encoding="utf-8") as lines:
        return frozenset(line.strip().casefold() for line in lines if line.strip())
