"""API keys of the company's other systems (F28): a name, scopes, and a secret shown once.

A key is 32 random bytes, so only its SHA-256 is stored (ADR 0062): nobody can guess a
preimage of a 256-bit secret, and the hash is what a request is looked up by.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import re
import secrets

import attrs

from lk_core.kernel.errors import InvalidValue

KEY_PREFIX = "lk_"
_NAME = re.compile(r"^[\w.@\- ]{1,64}$")
_KEY_ID = re.compile(r"^[0-9a-f]{12}$")
# Last use is written at most this often per key: a busy system does not write on every call.
LAST_USE_PRECISION = dt.timedelta(minutes=1)


class Scope(enum.Enum):
    """What a key may do; each service operation requires one."""

    READINGS_READ = "readings:read"
    READINGS_WRITE = "readings:write"
    ACCOUNTS_READ = "accounts:read"
    PAYMENTS_WRITE = "payments:write"
    MESSAGES_WRITE = "messages:write"

    @classmethod
    def parse(cls, text: str) -> frozenset[Scope]:
        """Scopes from a comma- or space-separated list; an unknown one is refused."""
        found: set[Scope] = set()
        for word in re.split(r"[,\s]+", text.strip()):
            if not word:
                continue
            try:
                found.add(cls(word))
            except ValueError:
                known = ", ".join(scope.value for scope in cls)
                raise InvalidValue(
                    "scopes", word, f"Неизвестная область «{word}»: {known}"
                ) from None
        if not found:
            raise InvalidValue("scopes", text, "Нужна хотя бы одна область доступа")
        return frozenset(found)


def hash_api_key(raw: str) -> str:
    """The stored form of a key: SHA-256 of the whole secret text."""
    return hashlib.sha256(raw.encode()).hexdigest()


def key_name(name: str) -> str:
    """A key's name as given, checked: up to 64 letters, digits, spaces and «._-@»."""
    stripped = name.strip()
    if not _NAME.match(stripped):
        raise InvalidValue(
            "name", name, "Название ключа — до 64 букв, цифр, пробелов и знаков «._-@»"
        )
    return stripped


def key_id_of(raw: str) -> str | None:
    """The public id a presented key names (`lk_<id>_<secret>`), if it has that form."""
    if not raw.startswith(KEY_PREFIX):
        return None
    key_id, _, secret = raw[len(KEY_PREFIX) :].partition("_")
    return key_id if _KEY_ID.match(key_id) and secret else None


@attrs.define
class ApiKey:
    """A stored key: never its secret, only the secret's hash."""

    id: str
    name: str
    scopes: frozenset[Scope]
    secret_hash: str = attrs.field(repr=False)
    created_at: dt.datetime
    created_by: str
    last_used_at: dt.datetime | None = None
    revoked_at: dt.datetime | None = None

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def allows(self, scope: Scope) -> bool:
        return scope in self.scopes

    def use_is_worth_writing(self, at: dt.datetime) -> bool:
        """Whether a use at `at` should be recorded (the last one is older than a minute)."""
        return self.last_used_at is None or at - self.last_used_at >= LAST_USE_PRECISION


@attrs.frozen
class IssuedKey:
    """A key just created, with its secret: shown once, then only the hash remains."""

    key: ApiKey
    secret: str = attrs.field(repr=False)


def issue_api_key(
    name: str, scopes: frozenset[Scope], created_by: str, at: dt.datetime
) -> IssuedKey:
    """A new key with a random id and a 256-bit secret."""
    if not scopes:
        raise InvalidValue("scopes", "", "Нужна хотя бы одна область доступа")
    key_id = secrets.token_hex(6)
    raw = f"{KEY_PREFIX}{key_id}_{secrets.token_urlsafe(32)}"
    key = ApiKey(
        id=key_id,
        name=key_name(name),
        scopes=frozenset(scopes),
        secret_hash=hash_api_key(raw),
        created_at=at,
        created_by=created_by,
    )
    return IssuedKey(key, raw)
