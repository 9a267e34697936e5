"""What the personal data tab and the additional services panel need from storage."""

from __future__ import annotations

from typing import Protocol

import attrs

from lk_core.access.ports import AccessUnitOfWork
from lk_core.accounts.ports import HouseLookup


class PersonalDataUnitOfWork(AccessUnitOfWork, Protocol):
    """The access unit of work, and the account's house for its address."""

    @property
    def houses(self) -> HouseLookup: ...


@attrs.frozen
class PersonalPageReads:
    """The personal data page's reads, told ahead (`lk_core.kernel.read_ahead`): the
    session of that id hash, what it may show and the shown account's house; its
    registration, the latest e-mail change secret, the link requests it made and those
    made for its own account with their accounts, and its devices signed in."""

    session_id_hash: str
