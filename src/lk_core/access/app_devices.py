"""Devices of the JSON API (F28, ADR 0061): a phone app signed in under a name the resident
gave it, and the refresh tokens of that sign-in.

One device is one token family: every refresh token issued to it since it signed in. A
refresh token is used once; using it again means someone else holds a copy, and the
whole family is revoked. Only hashes of tokens are stored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

import attrs

DEVICE_NAME_LENGTH = 60


def token_hash(raw_token: str) -> str:
    """What the database stores of a token (256 random bits: a plain hash suffices)."""
    return hashlib.sha256(raw_token.encode()).hexdigest()


def new_token() -> tuple[str, str]:
    """A fresh random token for the client, and its hash for the server."""
    raw = secrets.token_urlsafe(32)
    return raw, token_hash(raw)


@attrs.frozen
class TokenPolicy:
    """Lifetimes: access tokens short (15 minutes by default), refresh tokens long."""

    access: dt.timedelta = dt.timedelta(minutes=15)
    refresh: dt.timedelta = dt.timedelta(days=30)


@attrs.frozen
class AppDevice:
    """A device signed in through the API under `name`; revoked at `revoked_at`, if ever."""

    id: str
    registration_key: str
    name: str
    signed_in_at: dt.datetime
    last_used_at: dt.datetime
    revoked_at: dt.datetime | None = None

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


@attrs.frozen
class RefreshToken:
    """One refresh token of a device, by its hash; `used_at` once it was exchanged."""

    token_hash: str = attrs.field(repr=False)
    device_id: str
    issued_at: dt.datetime
    expires_at: dt.datetime
    used_at: dt.datetime | None = None

    def is_expired(self, now: dt.datetime) -> bool:
        return now >= self.expires_at
