"""What the personal data tab and the additional services panel need from storage."""

from __future__ import annotations

from typing import Protocol

from lk_core.access.ports import AccessUnitOfWork
from lk_core.accounts.ports import HouseLookup


class PersonalDataUnitOfWork(AccessUnitOfWork, Protocol):
    """The access unit of work, and the account's house for its address."""

    @property
    def houses(self) -> HouseLookup: ...
