"""The kinds of billing-data file and their columns (documented in docs/formats.md).

Each column has a code name and the Russian header billing systems print; either may
head the column. A kind is recognised by its required columns.
"""

from __future__ import annotations

import enum

import attrs


@attrs.frozen
class Column:
    name: str
    header_ru: str
    required: bool = True


class FileKind(enum.Enum):
    """In load order: a file may refer only to things of kinds before it."""

    HOUSES = "houses"
    SERVICES = "services"
    ACCOUNTS = "accounts"
    METERS = "meters"
    LEDGER = "ledger"
    PAYMENTS = "payments"
    READINGS = "readings"

    @property
    def columns(self) -> tuple[Column, ...]:
        return COLUMNS[self]

    @property
    def order(self) -> int:
        return list(FileKind).index(self)


def _c(name: str, header_ru: str, required: bool = True) -> Column:
    return Column(name, header_ru, required)


COLUMNS: dict[FileKind, tuple[Column, ...]] = {
    FileKind.HOUSES: (
        _c("house", "Код дома"),
        _c("address", "Адрес дома"),
        _c("total_area", "Площадь дома"),
    ),
    FileKind.SERVICES: (
        _c("service", "Код услуги"),
        _c("name", "Наименование услуги"),
        _c("unit", "Ед. изм.", False),
        _c("provider", "Исполнитель", False),
    ),
    FileKind.ACCOUNTS: (
        _c("account", "Лицевой счёт"),
        _c("house", "Код дома"),
        _c("payer", "ФИО"),
        _c("flat", "Помещение"),
        _c("rooms", "Комнат"),
        _c("area", "Площадь помещения"),
        _c("residents", "Проживает"),
        _c("phone", "Телефон", False),
        _c("email", "E-mail", False),
    ),
    FileKind.METERS: (
        _c("meter", "Код ПУ"),
        _c("kind", "Тип ПУ"),
        _c("service", "Код услуги"),
        _c("serial", "Заводской номер"),
        _c("integer_digits", "Разрядность"),
        _c("fraction_digits", "Знаков после запятой", False),
        _c("zones", "Тарифные зоны", False),
        _c("account", "Лицевой счёт", False),
        _c("house", "Код дома", False),
        _c("installed_on", "Дата установки", False),
        _c("next_verification_on", "Дата следующей поверки", False),
        _c("archived", "Архивный", False),
    ),
    FileKind.LEDGER: (
        _c("account", "Лицевой счёт"),
        _c("period", "Период"),
        _c("service", "Код услуги"),
        _c("opening", "Сальдо входящее"),
        _c("charged", "Начислено"),
        _c("recalculation", "Перерасчёт", False),
        _c("paid", "Оплачено"),
        _c("closing", "Сальдо исходящее", False),
        _c("volume", "Объём", False),
        _c("tariff", "Тариф", False),
        _c("recalculation_reason", "Основание перерасчёта", False),
    ),
    FileKind.PAYMENTS: (
        _c("payment", "Номер платежа"),
        _c("account", "Лицевой счёт"),
        _c("date", "Дата платежа"),
        _c("amount", "Сумма"),
        _c("payer", "Плательщик", False),
    ),
    FileKind.READINGS: (
        _c("reading", "Код показания"),
        _c("meter", "Код ПУ"),
        _c("zone", "Тарифная зона", False),
        _c("period", "Период"),
        _c("value", "Показание"),
        _c("taken_at", "Дата показания"),
        _c("source", "Источник"),
        _c("status", "Статус", False),
        _c("reason", "Причина отказа", False),
    ),
}


def _header_key(text: str) -> str:
    return " ".join(text.strip().lstrip("\ufeff").casefold().replace("ё", "е").split())


def column_index(kind: FileKind, header: list[str]) -> dict[str, int]:
    """Map column names to positions; raise `ValueError` naming a missing required column."""
    positions = {_header_key(h): i for i, h in enumerate(header)}
    found: dict[str, int] = {}
    for column in kind.columns:
        for key in (_header_key(column.name), _header_key(column.header_ru)):
            if key in positions:
                found[column.name] = positions[key]
                break
        else:
            if column.required:
                raise ValueError(f"нет столбца «{column.header_ru}» ({column.name})")
    return found


def detect_kind(header: list[str]) -> FileKind | None:
    """The kind whose required columns the header has; the most specific wins."""
    best: tuple[int, FileKind] | None = None
    for kind in FileKind:
        try:
            column_index(kind, header)
        except ValueError:
            continue
        weight = sum(1 for c in kind.columns if c.required)
        if best is None or weight > best[0]:
            best = (weight, kind)
    return best[1] if best else None
