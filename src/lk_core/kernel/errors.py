"""Every domain error, each carrying the data that explains it and a Russian message.

The web edge maps these to form messages and status codes, the CLI to exit codes.
"""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain was broken; `message_ru` is what a resident or operator reads."""

    code: str = "domain_error"

    def __init__(self, message_ru: str) -> None:
        super().__init__(message_ru)
        self.message_ru = message_ru


class InvalidValue(DomainError):
    """A value does not have the form its field requires."""

    code = "invalid_value"

    def __init__(self, field: str, value: object, message_ru: str) -> None:
        super().__init__(message_ru)
        self.field = field
        self.value = value


class NotFound(DomainError):
    """The thing asked for does not exist (or is not the asker's to see)."""

    code = "not_found"

    def __init__(self, kind: str, key: object) -> None:
        super().__init__("Не найдено")
        self.kind = kind
        self.key = key


# --- meter readings (F13) ---------------------------------------------------------------


# --- registration and secrets (F1–F8) ----------------------------------------------------


# --- payments (F12, F24) ------------------------------------------------------------------


class PeriodClosed(DomainError):
    """The billing period is closed: nothing may be loaded into it any more."""

    code = "period_closed"

    def __init__(self, period_label: str) -> None:
        super().__init__(f"Период {period_label} закрыт: изменения в нём невозможны")
        self.period_label = period_label


class PeriodAlreadyClosed(PeriodClosed):
    """A period that is closed cannot be closed again."""

    code = "period_already_closed"
