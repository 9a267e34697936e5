"""Why a service call is refused: no valid key, a missing scope, a reused idempotency key."""

from __future__ import annotations

from lk_core.kernel.errors import DomainError


class ApiKeyInvalid(DomainError):
    """No key, an unknown one, or a revoked one: the caller is not authenticated."""

    code = "api_key_invalid"

    def __init__(self) -> None:
        super().__init__("Ключ API не указан, неизвестен или отозван")


class ScopeMissing(DomainError):
    """The key is valid but may not do this."""

    code = "scope_missing"

    def __init__(self, scope: str) -> None:
        super().__init__(f"Ключу API не разрешена область «{scope}»")
        self.scope = scope


class ApiKeyNotFound(DomainError):
    """No key has this id."""

    code = "api_key_not_found"

    def __init__(self, key_id: str) -> None:
        super().__init__(f"Ключ API {key_id} не найден")
        self.key_id = key_id


class IdempotencyKeyReused(DomainError):
    """The idempotency key was used before with a different request."""

    code = "idempotency_key_reused"

    def __init__(self) -> None:
        super().__init__(
            "Этот ключ идемпотентности уже использован с другим запросом: "
            "для нового запроса нужен новый ключ"
        )


class IdempotencyKeyInProgress(DomainError):
    """A request with this idempotency key is still running."""

    code = "idempotency_key_in_progress"

    def __init__(self) -> None:
        super().__init__("Запрос с этим ключом идемпотентности ещё выполняется: повторите позже")


class IdempotencyKeyInvalid(DomainError):
    """The idempotency key is empty or too long."""

    code = "idempotency_key_invalid"

    def __init__(self) -> None:
        super().__init__("Ключ идемпотентности — от 1 до 255 видимых символов ASCII")
