"""The staff's TOTP keys encrypted at rest with Fernet (AES-128-CBC + HMAC-SHA256), under
keys derived from `LK_SECRET_KEY` by HKDF with their own label (ADR 0072).

`MultiFernet` seals with the current key and opens with it or any previous one
(`LK_PREVIOUS_SECRET_KEYS`), so the secret key can be rotated: `lk staff reseal` then
re-encrypts every stored key under the current one.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from lk_adapters.settings import Settings

# A label of its own: the same secret key also keys other hashes, never this cipher's key.
TOTP_KEY_INFO = b"lk/staff-totp-secrets/fernet/v1"
DEMO_KEY = "demo-mode-only-not-a-secret"


def fernet_key(secret_key: str, info: bytes = TOTP_KEY_INFO) -> bytes:
    """A Fernet key (32 bytes, URL-safe base64) derived from the server's secret key."""
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(
        secret_key.encode()
    )
    return base64.urlsafe_b64encode(derived)


class FernetSecretSealer:
    """Seals with the first key; opens what any of the keys sealed."""

    def __init__(self, secret_keys: list[str]) -> None:
        if not secret_keys:
            raise ValueError("at least one secret key is needed")
        self._fernet = MultiFernet([Fernet(fernet_key(key)) for key in secret_keys])

    def seal(self, secret: str) -> str:
        return self._fernet.encrypt(secret.encode()).decode()

    def unseal(self, sealed: str) -> str | None:
        try:
            return self._fernet.decrypt(sealed.encode()).decode()
        except InvalidToken:
            return None


def secret_keys(settings: Settings) -> list[str]:
    """The current secret key (demo mode: a fixed, public one), then the previous ones."""
    previous = [key.strip() for key in settings.previous_secret_keys.split(",") if key.strip()]
    return [settings.secret_key or DEMO_KEY, *previous]


def configured_sealer(settings: Settings) -> FernetSecretSealer:
    return FernetSecretSealer(secret_keys(settings))
