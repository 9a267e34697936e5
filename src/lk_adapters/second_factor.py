"""TOTP codes (RFC 6238) with pyotp: the staff's second factor (ADR 0065)."""

from __future__ import annotations

import datetime as dt
import hmac

import pyotp

STEP_SECONDS = 30


class PyotpSecondFactor:
    """Six-digit codes of 30-second steps; one step of clock drift either way is accepted."""

    def new_secret(self) -> str:
        return pyotp.random_base32(32)

    def provisioning_uri(self, secret: str, login: str, issuer: str) -> str:
        return pyotp.TOTP(secret).provisioning_uri(name=login, issuer_name=issuer)

    def matching_step(self, secret: str, code: str, at: dt.datetime) -> int | None:
        if len(code) != 6 or not code.isdigit():
            return None
        totp = pyotp.TOTP(secret)
        now_step = int(at.timestamp()) // STEP_SECONDS
        found = None
        for step in (now_step - 1, now_step, now_step + 1):
            # Every step is compared (constant time each), so timing tells nothing.
            if hmac.compare_digest(totp.generate_otp(step), code):
                found = step
        return found
