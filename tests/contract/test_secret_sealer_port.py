"""The sealer of the staff's TOTP keys (ADR 0072): what it seals only the same secret key,
or one it lists as previous, opens; tampering is detected; a rotation keeps old keys
readable until they are re-sealed. Fernet is its one adapter."""

from __future__ import annotations

import base64

import pytest

from lk_adapters.container import secret_pepper
from lk_adapters.sealing import TOTP_KEY_INFO, FernetSecretSealer, fernet_key, secret_keys
from lk_adapters.settings import Settings

KEY = "the-current-secret-key-of-32-characters-or-more"
OLD = "the-previous-secret-key-of-32-characters-or-more"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def test_a_sealed_secret_opens_to_itself_and_does_not_show_it() -> None:
    sealer = FernetSecretSealer([KEY])

    sealed = sealer.seal(SECRET)

    assert SECRET not in sealed
    assert sealer.unseal(sealed) == SECRET
    assert sealer.seal(SECRET) != sealed  # a fresh IV each time


def test_another_secret_key_opens_nothing() -> None:
    sealed = FernetSecretSealer([KEY]).seal(SECRET)

    assert FernetSecretSealer([OLD]).unseal(sealed) is None


@pytest.mark.parametrize("position", [10, 40, -5])
def test_a_tampered_token_opens_to_nothing(position: int) -> None:
    sealer = FernetSecretSealer([KEY])
    sealed = sealer.seal(SECRET)
    flipped = "A" if sealed[position] != "A" else "B"

    tampered = sealed[:position] + flipped + sealed[position + 1 :]

    assert sealer.unseal(tampered) is None
    assert sealer.unseal("not a token") is None


def test_after_a_rotation_old_tokens_open_and_new_ones_are_sealed_under_the_new_key() -> None:
    old_token = FernetSecretSealer([OLD]).seal(SECRET)
    rotated = FernetSecretSealer([KEY, OLD])

    assert rotated.unseal(old_token) == SECRET
    resealed = rotated.seal(SECRET)
    assert FernetSecretSealer([KEY]).unseal(resealed) == SECRET
    assert FernetSecretSealer([OLD]).unseal(resealed) is None


def test_the_cipher_key_is_derived_with_its_own_label_not_the_secret_key_itself() -> None:
    derived = fernet_key(KEY)

    assert KEY.encode() not in derived
    assert derived != fernet_key(KEY, info=b"another purpose")
    assert derived != fernet_key(OLD, info=TOTP_KEY_INFO)
    assert base64.urlsafe_b64decode(derived) != secret_pepper(Settings(secret_key=KEY))


def test_the_configured_keys_are_the_current_one_then_the_previous_ones() -> None:
    settings = Settings(secret_key=KEY, previous_secret_keys=f" {OLD} , older-key ,")

    assert secret_keys(settings) == [KEY, OLD, "older-key"]
    assert secret_keys(Settings(demo=True))[0] != ""
