"""Server-side sessions: the browser holds a random id, the server keeps its hash."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

import attrs


def session_id_hash(raw_id: str) -> str:
    """What the database stores of a session id (256 random bits: a plain hash suffices)."""
    return hashlib.sha256(raw_id.encode()).hexdigest()


@attrs.frozen
class SessionPolicy:
    """Idle and absolute timeouts (SECURITY.md: 30 min and 12 h by default)."""

    idle: dt.timedelta = dt.timedelta(minutes=30)
    absolute: dt.timedelta = dt.timedelta(hours=12)


@attrs.define
class Session:
    """A browser's session: anonymous, registering an account, or signed in to one.

    `registration_key` is the account whose registration signed in; `account_key` is the
    account shown now (it may be a linked one); `pending_account_key` is the account a
    first visit proved the surname of, while its registration form is being filled in.
    """

    id_hash: str = attrs.field(repr=False)
    created_at: dt.datetime
    last_seen_at: dt.datetime
    registration_key: str | None = None
    account_key: str | None = None
    pending_account_key: str | None = None
    # An API access token (ADR 0061) is a session too: of a device, ending at `expires_at`.
    device_id: str | None = None
    expires_at: dt.datetime | None = None

    @property
    def is_signed_in(self) -> bool:
        return self.registration_key is not None

    def is_expired(self, now: dt.datetime, policy: SessionPolicy) -> bool:
        if self.expires_at is not None and now >= self.expires_at:
            return True
        return now - self.last_seen_at > policy.idle or now - self.created_at > policy.absolute


def new_session(now: dt.datetime) -> tuple[str, Session]:
    """A fresh session id for the cookie, and the session to store under its hash."""
    raw = secrets.token_urlsafe(32)
    return raw, Session(session_id_hash(raw), now, now)
