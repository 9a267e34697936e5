"""Money in the JSON API: a decimal string in roubles, `"1234.56"`, never a float (ADR 0060)."""

from __future__ import annotations

import re
from typing import Annotated

import msgspec

from lk_core.kernel.money import Money
from lk_web.api.problems import ApiProblem

MONEY_PATTERN = r"^-?[0-9]{1,15}\.[0-9]{2}$"
_MONEY = re.compile(MONEY_PATTERN)

MoneyText = Annotated[
    str,
    msgspec.Meta(
        pattern=MONEY_PATTERN,
        description="Сумма в рублях: десятичная строка с двумя знаками копеек",
        examples=["1234.56"],
    ),
]
"""An amount as the API writes and reads it: roubles with exactly two decimal places."""


def money_text(amount: Money) -> str:
    """`Money(123456)` as `"1234.56"`; a negative amount (an advance) as `"-12.00"`."""
    sign = "-" if amount.kopecks < 0 else ""
    rubles, kopecks = divmod(abs(amount.kopecks), 100)
    return f"{sign}{rubles}.{kopecks:02d}"


def money_of(text: str, field: str) -> Money:
    """An amount a client sent; anything but `"1234.56"` form is refused naming the field."""
    if not _MONEY.match(text):
        raise ApiProblem.invalid_field(
            field, f"Поле «{field}»: сумма пишется в рублях с двумя знаками копеек, «1234.56»"
        )
    rubles, kopecks = text.lstrip("-").split(".")
    value = int(rubles) * 100 + int(kopecks)
    return Money(-value if text.startswith("-") else value)
