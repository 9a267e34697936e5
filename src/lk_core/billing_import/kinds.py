"""The kinds of billing-data file and their columns (documented in docs/formats.md).

Each column has a code name and the Russian header billing systems print; either may
head the column. A kind is recognised by its required columns. A text column may have a
length limit (the size of the column that stores it); only free text (the grounds of a
recalculation, billing's reason to refuse a reading) may hold line breaks and tabs.
"""

from __future__ import annotations

import enum

import attrs


@attrs.frozen
class Column:
    name: str
    header_ru: str
    required: bool = True
    max_length: int | None = None
    line_breaks: bool = False


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


def _c(
    name: str,
    header_ru: str,
    required: bool = True,
    *,
    max_length: int | None = None,
    line_breaks: bool = False,
) -> Column:
    return Column(name, header_ru, required, max_length, line_breaks)


# Codes are stored in VARCHAR columns of these sizes (lk_adapters/sqlalchemy/tables.py).
CODE_LENGTH = 64  # houses, meters, readings, flats, serial numbers
SERVICE_CODE_LENGTH = 32  # services, units
PAYMENT_NUMBER_LENGTH = 128


COLUMNS: dict[FileKind, tuple[Column, ...]] = {
    FileKind.HOUSES: (
        _c("house", "Код дома", max_length=CODE_LENGTH),
        _c("address", "Адрес дома"),
        _c("total_area", "Площадь дома"),
    ),
    FileKind.SERVICES: (
        _c("service", "Код услуги", max_length=SERVICE_CODE_LENGTH),
        _c("name", "Наименование услуги"),
        _c("unit", "Ед. изм.", False, max_length=SERVICE_CODE_LENGTH),
        _c("provider", "Исполнитель", False),
    ),
    FileKind.ACCOUNTS: (
        _c("account", "Лицевой счёт"),
        _c("house", "Код дома", max_length=CODE_LENGTH),
        _c("payer", "ФИО"),
        _c("flat", "Помещение", max_length=CODE_LENGTH),
        _c("rooms", "Комнат"),
        _c("area", "Площадь помещения"),
        _c("residents", "Проживает"),
        _c("phone", "Телефон", False),
        _c("email", "E-mail", False),
    ),
    FileKind.METERS: (
        _c("meter", "Код ПУ", max_length=CODE_LENGTH),
        _c("kind", "Тип ПУ"),
        _c("service", "Код услуги", max_length=SERVICE_CODE_LENGTH),
        _c("serial", "Заводской номер", max_length=CODE_LENGTH),
        _c("integer_digits", "Разрядность"),
        _c("fraction_digits", "Знаков после запятой", False),
        _c("zones", "Тарифные зоны", False),
        _c("account", "Лицевой счёт", False),
        _c("house", "Код дома", False, max_length=CODE_LENGTH),
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
        _c("recalculation_reason", "Основание перерасчёта", False, line_breaks=True),
    ),
    FileKind.PAYMENTS: (
        _c("payment", "Номер платежа", max_length=PAYMENT_NUMBER_LENGTH),
        _c("account", "Лицевой счёт"),
        _c("date", "Дата платежа"),
        _c("amount", "Сумма"),
        _c("payer", "Плательщик", False),
    ),
    FileKind.READINGS: (
        _c("reading", "Код показания", max_length=CODE_LENGTH),
        _c("meter", "Код ПУ", max_length=CODE_LENGTH),
        _c("zone", "Тарифная зона", False),
        _c("period", "Период"),
        _c("value", "Показание"),
        _c("taken_at", "Дата показания"),
        _c("source", "Источник"),
        _c("status", "Статус", False),
        _c("reason", "Причина отказа", False, line_breaks=True),
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
