"""The password policy: length limits and no guessable words, no composition rules."""

from __future__ import annotations

from collections.abc import Container, Iterable

from lk_core.access.errors import PasswordRejected
from lk_core.kernel.policies import PasswordPolicy


def check_new_password(
    password: str,
    confirmation: str,
    policy: PasswordPolicy,
    *,
    common: Container[str],
    context_words: Iterable[str] = (),
) -> None:
    """Raise `PasswordRejected` with the reason a resident can act on, or return."""
    if password != confirmation:
        raise PasswordRejected("Пароль и подтверждение не совпадают")
    if len(password) < policy.min_length:
        raise PasswordRejected(f"Пароль должен быть не короче {policy.min_length} символов")
    if len(password) > policy.max_length:
        raise PasswordRejected(f"Пароль должен быть не длиннее {policy.max_length} символов")
    lowered = password.casefold().replace("ё", "е")
    if lowered in common:
        raise PasswordRejected("Этот пароль слишком распространён: придумайте другой")
    for word in context_words:
        word = word.casefold().replace("ё", "е").strip()
        if len(word) >= 3 and word in lowered:
            raise PasswordRejected(
                "Пароль не должен содержать номер лицевого счёта, фамилию или название компании"
            )
