"""Errors of the operator commands, each with the Russian message the operator reads."""

from __future__ import annotations

from lk_core.kernel.errors import DomainError


class AccountNotFound(DomainError):
    code = "account_not_found"

    def __init__(self, number: str) -> None:
        super().__init__(f"Лицевой счёт {number} не найден")
        self.number = number


class NotRegistered(DomainError):
    code = "not_registered"

    def __init__(self, number: str) -> None:
        super().__init__(f"Лицевой счёт {number} не зарегистрирован в личном кабинете")
        self.number = number


class NothingToResend(DomainError):
    """The registration has no confirmation an operator could send again."""

    code = "nothing_to_resend"

    def __init__(self, number: str, why_ru: str) -> None:
        super().__init__(f"Лицевой счёт {number}: {why_ru}")
        self.number = number


class TemplateError(DomainError):
    """A message template cannot be used; `line` and `column` count from 1."""

    code = "template_error"

    def __init__(self, line: int, column: int, message_ru: str) -> None:
        super().__init__(f"строка {line}, позиция {column}: {message_ru}")
        self.reason_ru = message_ru
        self.line = line
        self.column = column
