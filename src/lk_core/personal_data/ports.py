"""personal_data: ports."""

from __future__ import annotations

from typing import Protocol

from lk_core.access.registration import Consent


class ConsentRepository(Protocol):
    def add(self, consent: Consent) -> None:
        """Record a consent given or withdrawn; records are never changed or removed."""
        ...

    def of_account(self, account_key: str) -> list[Consent]:
        """An account's consent records, oldest first."""
        ...
