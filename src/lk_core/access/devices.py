"""Device tokens (OWASP's device cookies): a browser that signed in to an account before
proves it with a token only the server can make, and keeps signing in to that account from
a budget of its own while strangers use up the account's (ADR 0050).

Nothing is stored: a token carries the account, when it was issued and a random device
id, signed with HMAC-SHA256 under a key derived from the server's secret. A browser keeps
the tokens of the last few accounts signed in from it (a family sharing a computer).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import secrets

import attrs

DEVICE_TOKEN_LIFETIME = dt.timedelta(days=365)
ACCOUNTS_PER_BROWSER = 5

_VERSION = "d1"
_BETWEEN_TOKENS = "~"
_LONGEST_COOKIE = 2048  # five tokens fit many times over; anything longer is not ours


@attrs.frozen
class KnownDevice:
    """A browser that signed in to `account_key`, named by a random `device_id`."""

    account_key: str
    device_id: str
    issued_at: dt.datetime


def issue_device_token(
    account_key: str, *, now: dt.datetime, pepper: bytes, device_id: str | None = None
) -> str:
    """A signed token saying this browser signed in to the account at `now`; a browser
    already known keeps its device id (and with it its own count of failures)."""
    device_id = device_id or secrets.token_urlsafe(16)
    body = f"{_VERSION}.{account_key}.{int(now.timestamp())}.{device_id}"
    return f"{body}.{_signature(body, pepper)}"


def read_device_token(
    token: str, *, now: dt.datetime, pepper: bytes, lifetime: dt.timedelta = DEVICE_TOKEN_LIFETIME
) -> KnownDevice | None:
    """The device a token names, if the server signed it and it is not older than
    `lifetime`; None for anything else."""
    body, _, signature = token.rpartition(".")
    parts = body.split(".")
    if len(parts) != 4 or parts[0] != _VERSION or not parts[1] or not parts[3]:
        return None
    if not hmac.compare_digest(signature, _signature(body, pepper)):
        return None
    _, account_key, issued, device_id = parts
    try:
        issued_at = dt.datetime.fromtimestamp(int(issued), dt.UTC)
    except (ValueError, OverflowError, OSError):
        return None
    if not dt.timedelta(0) <= now - issued_at < lifetime:
        return None
    return KnownDevice(account_key, device_id, issued_at)


def known_device(
    cookie: str | None, account_key: str, *, now: dt.datetime, pepper: bytes
) -> KnownDevice | None:
    """The browser's device for this account, if its cookie holds a valid token for it."""
    for token in _tokens(cookie):
        device = read_device_token(token, now=now, pepper=pepper)
        if device is not None and device.account_key == account_key:
            return device
    return None


def remember_device(
    cookie: str | None, account_key: str, *, now: dt.datetime, pepper: bytes
) -> str:
    """The browser's cookie after signing in to the account: a fresh token for it first,
    then the valid tokens of the other accounts signed in from it, up to a few in all."""
    device = known_device(cookie, account_key, now=now, pepper=pepper)
    fresh = issue_device_token(
        account_key, now=now, pepper=pepper, device_id=device.device_id if device else None
    )
    others = [
        token
        for token in _tokens(cookie)
        if (other := read_device_token(token, now=now, pepper=pepper)) is not None
        and other.account_key != account_key
    ]
    return _BETWEEN_TOKENS.join([fresh, *others][:ACCOUNTS_PER_BROWSER])


def _tokens(cookie: str | None) -> list[str]:
    """The tokens of a cookie, reading no more than a browser of ours would send."""
    if not cookie or len(cookie) > _LONGEST_COOKIE:
        return []
    return cookie.split(_BETWEEN_TOKENS)[:ACCOUNTS_PER_BROWSER]


def _signature(body: str, pepper: bytes) -> str:
    # A key of its own, derived from the server secret: a device token is no one-time
    # secret's hash and the other way round.
    key = hmac.new(pepper, b"lk device tokens", hashlib.sha256).digest()
    digest = hmac.new(key, body.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
