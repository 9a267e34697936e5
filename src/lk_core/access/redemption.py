"""Using up a stored one-time secret: decided on the copy read, done by conditional writes.

The copy may be stale by the time it is written: another request may have used the link
or spent the code's last attempt meanwhile. So the database has the last word (SECURITY.md:
a token or code is consumed by one conditional write): a right guess marks the secret used
only if it is still usable, and a wrong one takes an attempt only if one is left. However
many requests race, a code gets no more tries and a link no more uses than one request
after another would get.
"""

from __future__ import annotations

import datetime as dt

from lk_core.access.errors import TokenInvalid
from lk_core.access.one_time_secrets import OneTimeSecret, SecretPurpose
from lk_core.access.ports import SecretRepository


def redeem_stored(
    secrets: SecretRepository,
    secret: OneTimeSecret,
    raw: str,
    purpose: SecretPurpose,
    at: dt.datetime,
    pepper: bytes,
) -> None:
    """Use the stored secret up, or raise why it cannot be used; a wrong guess costs one
    of its attempts."""
    refusal = secret.refusal(purpose, at)
    if refusal is not None:
        raise refusal
    if not secret.matches(raw, pepper):
        secrets.spend_attempt(secret.secret_hash)
        raise TokenInvalid("mismatch", "Неверный код")
    if not secrets.consume(secret.secret_hash, purpose, at):
        raise _refusal_now(secrets, secret, purpose, at)
    secret.used_at = at


def _refusal_now(
    secrets: SecretRepository, read: OneTimeSecret, purpose: SecretPurpose, at: dt.datetime
) -> TokenInvalid:
    """Why a secret usable when read was not by the time it was written."""
    current = secrets.find(read.secret_hash)
    refusal = current.refusal(purpose, at) if current is not None else None
    return refusal or TokenInvalid("used", "Ссылка или код уже использованы")
