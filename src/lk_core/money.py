"""Money as whole kopecks: exact, integer, signed (a negative balance is an advance)."""

from __future__ import annotations

import re
from decimal import Context, Decimal
from typing import Self

import attrs

from lk_core.kernel.errors import InvalidValue

_NBSP = "\u00a0"
_AMOUNT = re.compile(r"^(?P<sign>[-−]?)(?P<rub>\d{1,15})(?:[.,](?P<kop>\d{1,2}))?$")


def _is_plain_int(_instance: object, attribute: attrs.Attribute[int], value: object) -> None:
    if type(value) is not int:
        raise TypeError(f"{attribute.name} must be int kopecks, got {type(value).__name__}")


def _exact_context(value: Decimal) -> Context:
    return Context(prec=max(28, len(value.as_tuple().digits) + 4))


@attrs.frozen(order=True)
class Money:
    """An amount in whole kopecks; arithmetic stays exact and never touches floats."""

    kopecks: int = attrs.field(validator=_is_plain_int)

    @classmethod
    def zero(cls) -> Self:
        return cls(0)

    @classmethod
    def from_decimal(cls, rubles: Decimal) -> Self:
        """Rubles with at most two decimal places; more places are an error, not rounding."""
        if not isinstance(rubles, Decimal) or not rubles.is_finite():
            raise InvalidValue("amount", rubles, "Сумма должна быть числом")
        # Exact at any size: the default 28-digit context would round huge amounts.
        scaled = rubles.scaleb(2, _exact_context(rubles))
        if scaled != scaled.to_integral_value(context=_exact_context(scaled)):
            raise InvalidValue("amount", rubles, "В сумме не может быть больше двух знаков копеек")
        return cls(int(scaled))

    @classmethod
    def parse(cls, text: str) -> Self:
        """Read `1 234,56`, `1234.5`, `-12` as written in billing files and forms."""
        cleaned = text.strip().replace(" ", "").replace(_NBSP, "").replace("\u202f", "")
        cleaned = cleaned.removesuffix("₽").removesuffix("руб.")
        match = _AMOUNT.match(cleaned)
        if match is None:
            raise InvalidValue("amount", text, f"«{text}» — не сумма в рублях")
        kopecks = int(match["rub"]) * 100 + int((match["kop"] or "0").ljust(2, "0"))
        return cls(-kopecks if match["sign"] else kopecks)

    def __add__(self, other: Money) -> Money:
        return Money(self.kopecks + other.kopecks)

    def __sub__(self, other: Money) -> Money:
        return Money(self.kopecks - other.kopecks)

    def __neg__(self) -> Money:
        return Money(-self.kopecks)

    def __bool__(self) -> bool:
        return self.kopecks != 0

    @property
    def is_negative(self) -> bool:
        return self.kopecks < 0

    def to_decimal(self) -> Decimal:
        whole = Decimal(self.kopecks)
        return whole.scaleb(-2, _exact_context(whole))

    def format(self, currency: bool = True) -> str:
        """`1 234,56 ₽` with non-breaking spaces, as residents read amounts."""
        sign = "−" if self.kopecks < 0 else ""
        rub, kop = divmod(abs(self.kopecks), 100)
        grouped = f"{rub:,}".replace(",", _NBSP)
        text = f"{sign}{grouped},{kop:02d}"
        return f"{text}{_NBSP}₽" if currency else text


def total(amounts: list[Money] | tuple[Money, ...]) -> Money:
    """Sum of amounts; the sum of nothing is zero."""
    return Money(sum(a.kopecks for a in amounts))
