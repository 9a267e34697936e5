"""Exact numbers as read back from either database."""

from __future__ import annotations

from decimal import Decimal

from lk_adapters.sqlalchemy.types import strip_decimal


def exact(value: Decimal) -> Decimal:
    """The value without the zeros PostgreSQL pads NUMERIC to its scale with."""
    stripped = strip_decimal(value)
    assert stripped is not None
    return stripped
