"""Errors of the access paths; their messages are deliberately uniform where guessing matters."""

from __future__ import annotations

from lk_core.kernel.errors import DomainError


class SignInFailed(DomainError):
    """Wrong account number or password: the message never says which."""

    code = "sign_in_failed"

    def __init__(self) -> None:
        super().__init__("Неверный номер лицевого счёта или пароль")


class RegistrationNotConfirmed(DomainError):
    code = "registration_not_confirmed"

    def __init__(self) -> None:
        super().__init__(
            "Регистрация не завершена: перейдите по ссылке из письма или пройдите "
            "регистрацию заново (первый вход по номеру счёта и фамилии)"
        )


class FirstVisitFailed(DomainError):
    code = "first_visit_failed"

    def __init__(self) -> None:
        super().__init__(
            "Лицевой счёт с такой фамилией не найден. Проверьте номер счёта и фамилию, "
            "на которую он зарегистрирован"
        )


class AlreadyRegistered(DomainError):
    code = "already_registered"

    def __init__(self) -> None:
        super().__init__(
            "Этот лицевой счёт уже зарегистрирован. Войдите с паролем или восстановите "
            "пароль по ссылке «Забыли пароль?»"
        )


class RegistrationSessionExpired(DomainError):
    code = "registration_session_expired"

    def __init__(self) -> None:
        super().__init__("Время на регистрацию истекло. Начните заново: номер счёта и фамилия")


class PhoneNotConfirmed(DomainError):
    code = "phone_not_confirmed"

    def __init__(self) -> None:
        super().__init__("Сначала подтвердите номер телефона кодом из смс")


class CurrentPasswordWrong(DomainError):
    """The current password asked for before a change of password or e-mail is wrong."""

    code = "current_password_wrong"

    def __init__(self) -> None:
        super().__init__("Текущий пароль указан неверно")


class LinkFailed(DomainError):
    """Wrong account number, surname or password when linking: the message never says which."""

    code = "link_failed"

    def __init__(self) -> None:
        super().__init__(
            "Лицевой счёт не найден или фамилия (пароль) не подходит. Проверьте номер счёта "
            "и фамилию, на которую он зарегистрирован, или пароль этого счёта"
        )


class LinkRequested(DomainError):
    """The right number and surname of an account someone else registered: the surname is
    printed on every receipt, so it is no proof; the owner is asked instead (ADR 0054)."""

    code = "link_requested"

    def __init__(self, until: str) -> None:
        super().__init__(f"Запрос отправлен владельцу, ждём подтверждения до {until}")
        self.until = until


class LinkRequestRefused(DomainError):
    """The owner refused this resident's request lately: no new letter for a while."""

    code = "link_request_refused"

    def __init__(self) -> None:
        super().__init__(
            "Владелец этого лицевого счёта отказал в привязке. Привязать его можно паролем "
            "этого счёта"
        )


class CannotLinkOwnAccount(DomainError):
    code = "cannot_link_own_account"

    def __init__(self) -> None:
        super().__init__("Это ваш собственный лицевой счёт: привязывать его не нужно")


class AccountAlreadyLinked(DomainError):
    code = "account_already_linked"

    def __init__(self) -> None:
        super().__init__("Этот лицевой счёт уже привязан к вашему личному кабинету")


class OwnAccountCannotBeUnlinked(DomainError):
    code = "own_account_cannot_be_unlinked"

    def __init__(self) -> None:
        super().__init__("Свой лицевой счёт отвязать нельзя: отвязать можно только привязанные")


class TokenInvalid(DomainError):
    """A link or code is unknown, used, expired or meant for something else."""

    code = "token_invalid"

    def __init__(self, reason: str, message_ru: str) -> None:
        super().__init__(message_ru)
        self.reason = reason


class TooManyAccountsForEmail(DomainError):
    code = "too_many_accounts_for_email"

    def __init__(self, limit: int) -> None:
        super().__init__(
            f"На один адрес электронной почты можно зарегистрировать не более {limit} "
            "лицевых счетов"
        )
        self.limit = limit


class PasswordRejected(DomainError):
    """A new password breaks the password policy."""

    code = "password_rejected"


class TokenRefused(DomainError):
    """A refresh token that is unknown, expired, used before or of a revoked device: the
    message never says which."""

    code = "token_refused"

    def __init__(self) -> None:
        super().__init__("Токен недействителен: войдите заново")
