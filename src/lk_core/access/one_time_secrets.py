"""Single-use secrets: e-mail links and SMS codes. Only their keyed hash is ever stored."""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import hmac
import secrets

import attrs

from lk_core.access.errors import TokenInvalid


class SecretPurpose(enum.Enum):
    """What a secret may be used for; a secret issued for one purpose fails every other."""

    REGISTRATION = "registration"
    PASSWORD_RESET = "password_reset"  # noqa: S105 - a purpose, not a password
    EMAIL_CHANGE = "email_change"
    SMS_CONFIRMATION = "sms_confirmation"
    LINK_REQUEST = "link_request"


def hash_secret(raw: str, pepper: bytes) -> str:
    """HMAC-SHA256 with a server-side key: a leaked table of hashes cannot be brute-forced
    offline, which matters for six-digit codes."""
    return hmac.new(pepper, raw.encode(), hashlib.sha256).hexdigest()


@attrs.define
class OneTimeSecret:
    """An issued link token or code: bound to a purpose and subject, expiring, single use."""

    purpose: SecretPurpose
    subject: str
    secret_hash: str = attrs.field(repr=False)
    issued_at: dt.datetime
    expires_at: dt.datetime
    attempts_left: int = 1
    payload: str = ""
    used_at: dt.datetime | None = None

    def is_usable(self, at: dt.datetime) -> bool:
        return self.used_at is None and at < self.expires_at and self.attempts_left > 0

    def refusal(self, purpose: SecretPurpose, at: dt.datetime) -> TokenInvalid | None:
        """Why the secret cannot be used for `purpose` at `at`, whatever is typed; None if
        it can."""
        if purpose is not self.purpose:
            return TokenInvalid("purpose", "Ссылка недействительна")
        if self.used_at is not None:
            return TokenInvalid("used", "Ссылка или код уже использованы")
        if at >= self.expires_at:
            return TokenInvalid("expired", "Срок действия ссылки или кода истёк")
        if self.attempts_left <= 0:
            return TokenInvalid("attempts", "Слишком много неверных попыток: запросите новый код")
        return None

    def matches(self, raw: str, pepper: bytes) -> bool:
        """Whether `raw` is this secret (compared in constant time)."""
        return hmac.compare_digest(self.secret_hash, hash_secret(raw, pepper))

    def redeem(self, raw: str, purpose: SecretPurpose, at: dt.datetime, pepper: bytes) -> None:
        """Use this copy of the secret up, or raise why it cannot be used. A wrong guess
        costs an attempt. The stored secret changes only through the repository's
        conditional writes (`redemption.redeem_stored`), which follow the same rule."""
        refusal = self.refusal(purpose, at)
        if refusal is not None:
            raise refusal
        if not self.matches(raw, pepper):
            self.attempts_left -= 1
            raise TokenInvalid("mismatch", "Неверный код")
        self.used_at = at


def issue_link_token(
    purpose: SecretPurpose,
    subject: str,
    *,
    now: dt.datetime,
    lifetime: dt.timedelta,
    pepper: bytes,
    payload: str = "",
) -> tuple[str, OneTimeSecret]:
    """A 256-bit URL-safe token for an e-mail link, and what to store of it."""
    raw = secrets.token_urlsafe(32)
    stored = OneTimeSecret(
        purpose, subject, hash_secret(raw, pepper), now, now + lifetime, 1, payload
    )
    return raw, stored


def issue_sms_code(
    subject: str,
    *,
    now: dt.datetime,
    lifetime: dt.timedelta,
    attempts: int,
    pepper: bytes,
    payload: str = "",
) -> tuple[str, OneTimeSecret]:
    """Six random digits for an SMS, allowing `attempts` tries before it is spent."""
    raw = f"{secrets.randbelow(10**6):06d}"
    stored = OneTimeSecret(
        SecretPurpose.SMS_CONFIRMATION,
        subject,
        hash_secret(raw, pepper),
        now,
        now + lifetime,
        attempts,
        payload,
    )
    return raw, stored
