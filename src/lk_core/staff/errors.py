"""What can go wrong at the staff's desk."""

from __future__ import annotations

from lk_core.kernel.errors import DomainError


class StaffSignInFailed(DomainError):
    """Wrong login or password, or a disabled account: one answer for all."""

    code = "staff_sign_in_failed"

    def __init__(self) -> None:
        super().__init__("Неверный логин или пароль")


class SecondFactorFailed(DomainError):
    """The code is wrong, expired, or was used already."""

    code = "second_factor_failed"

    def __init__(self) -> None:
        super().__init__(
            "Код не подходит. Введите новый код из приложения-аутентификатора "
            "или неиспользованный резервный код"
        )


class EnrolmentCodeFailed(DomainError):
    """The enrolment code is wrong, expired, used already, or was never issued."""

    code = "enrolment_code_failed"

    def __init__(self) -> None:
        super().__init__("Код подключения не подходит или истёк. Попросите у администратора новый")


class StaffExists(DomainError):
    code = "staff_exists"

    def __init__(self, login: str) -> None:
        super().__init__(f"Сотрудник с логином «{login}» уже есть")
        self.login = login


class StaffNotFound(DomainError):
    code = "staff_not_found"

    def __init__(self, login: str) -> None:
        super().__init__(f"Сотрудника с логином «{login}» нет")
        self.login = login


class StaffForbidden(DomainError):
    """The member's role does not allow this (the audit log is for administrators)."""

    code = "staff_forbidden"

    def __init__(self) -> None:
        super().__init__("Этот раздел доступен только администраторам")
