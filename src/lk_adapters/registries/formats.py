"""How a bank lays out its payment registry (F24): which column holds what.

A format is written in the settings as `field=column` pairs (1-based columns) and a few
options, e.g. `date=1 line_id=5 account=6 payer=7 amount=10 order=13 date_format=%d-%m-%Y`.
The Sberbank-style layout ships built in (docs/formats.md, "Bank payment registries").
"""

from __future__ import annotations

import datetime as dt
import re

import attrs

FIELDS = ("date", "line_id", "account", "amount", "payer", "order")
REQUIRED = ("date", "line_id", "account", "amount")
OPTIONS = ("date_format", "encoding", "skip", "summary")


@attrs.frozen
class RegistryFormat:
    """Columns (1-based) of a registry's lines and how to read them."""

    columns: dict[str, int]
    date_format: str = "%d-%m-%Y"
    encoding: str = "cp1251"
    skip: int = 0  # header lines before the first payment
    summary: str = "="  # a closing line starting with this carries the count and total

    def column(self, field: str) -> int | None:
        return self.columns.get(field)


# The layout of Sberbank's registries of payments to a payee: date, time, branch,
# cashier or terminal, operation number (СУИП), account, payer, address, period, amount,
# amount transferred, commission, then our order number when the payment carried it;
# the last line is `=count;total;transferred;commission;…`.
SBERBANK = RegistryFormat(
    columns={"date": 1, "line_id": 5, "account": 6, "payer": 7, "amount": 10, "order": 13},
)

BUILT_IN = {"sberbank": SBERBANK}


class RegistryFormatError(ValueError):
    """A bank's registry format in the settings cannot be understood."""


def parse_format(spec: str) -> RegistryFormat:
    """A format from its `field=column option=value` text; RegistryFormatError says why not."""
    columns: dict[str, int] = {}
    options: dict[str, str] = {}
    for pair in re.split(r"[\s,]+", spec.strip()):
        if not pair:
            continue
        name, sep, value = pair.partition("=")
        if not sep:
            raise RegistryFormatError(f"«{pair}»: ожидается поле=номер_колонки")
        if name in FIELDS:
            if not value.isdigit() or int(value) < 1:
                raise RegistryFormatError(f"«{pair}»: номер колонки — целое число от 1")
            columns[name] = int(value)
        elif name in OPTIONS:
            options[name] = value
        else:
            raise RegistryFormatError(
                f"«{name}»: неизвестное поле; известны {', '.join(FIELDS + OPTIONS)}"
            )
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        raise RegistryFormatError(f"не указаны колонки: {', '.join(missing)}")
    fmt = RegistryFormat(columns=columns)
    if "date_format" in options:
        try:
            dt.date(2026, 12, 31).strftime(options["date_format"])
        except ValueError as error:
            raise RegistryFormatError(f"date_format: {error}") from None
        fmt = attrs.evolve(fmt, date_format=options["date_format"])
    if "encoding" in options:
        fmt = attrs.evolve(fmt, encoding=options["encoding"])
    if "skip" in options:
        if not options["skip"].isdigit():
            raise RegistryFormatError("skip: число строк заголовка")
        fmt = attrs.evolve(fmt, skip=int(options["skip"]))
    if "summary" in options:
        fmt = attrs.evolve(fmt, summary=options["summary"])
    return fmt


# The bank's name is stored with each registry line, in a column of this size.
MAX_BANK_NAME = 32


def bank_format(bank: str, configured: dict[str, str]) -> RegistryFormat:
    """The bank's format: configured, or built in; KeyError for a bank nobody described."""
    if bank in configured:
        if len(bank) > MAX_BANK_NAME:
            raise RegistryFormatError(f"имя банка длиннее {MAX_BANK_NAME} знаков")
        return parse_format(configured[bank])
    return BUILT_IN[bank]
