"""What the resident-access use cases need, bundled once by the composition root."""

from __future__ import annotations

from collections.abc import Container

import attrs

from lk_core.access.app_devices import TokenPolicy
from lk_core.access.ports import AccessUnitOfWork, PasswordHasher
from lk_core.access.sessions import SessionPolicy
from lk_core.access.throttling import ThrottlePolicy
from lk_core.kernel.policies import Policies
from lk_core.kernel.runtime import Clock
from lk_core.kernel.transaction import UnitOfWorkFactory


@attrs.frozen
class PortalLinks:
    """Links put into messages; built on the configured base URL, never the Host header."""

    base_url: str

    def _join(self, path: str) -> str:
        return self.base_url.rstrip("/") + path

    def confirm_registration(self, token: str) -> str:
        return self._join(f"/register/confirm/{token}")

    def reset_password(self, token: str) -> str:
        return self._join(f"/password/reset/{token}")

    def sign_in(self) -> str:
        return self._join("/")


@attrs.frozen
class AccessContext:
    """Adapters and policies of sign-in, registration and recovery (F1–F8)."""

    uow_factory: UnitOfWorkFactory[AccessUnitOfWork]
    clock: Clock
    hasher: PasswordHasher
    policies: Policies
    pepper: bytes = attrs.field(repr=False)
    links: PortalLinks
    company_name: str
    common_passwords: Container[str] = attrs.field(repr=False)
    # A real argon2 hash of nothing in particular: unknown accounts are checked against
    # it, so a wrong account number costs as much time as a wrong password.
    dummy_hash: str = attrs.field(repr=False)
    throttle: ThrottlePolicy = ThrottlePolicy()
    sessions: SessionPolicy = SessionPolicy()
    tokens: TokenPolicy = TokenPolicy()
    consent_version: str = "2025-09-01"
    time_zone: str = "Europe/Moscow"
