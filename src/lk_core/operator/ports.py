"""Operator support and service messages (F25, F26)."""

from __future__ import annotations

from typing import Protocol

from lk_core.access.ports import AccessUnitOfWork
from lk_core.accounts.ports import HouseLookup
from lk_core.operator.directory import AccountFound, AccountQuery, Audience, AudiencePage


class AccountDirectory(Protocol):
    """What operators' commands read and void across accounts (F25, F26); searches and
    audiences are read in pages, so 100,000 accounts never sit in memory at once."""

    def find(self, query: AccountQuery, limit: int) -> list[AccountFound]:
        """At most `limit` accounts the query matches, by number."""
        ...

    def audience(self, audience: Audience, after_key: str, limit: int) -> AudiencePage:
        """The next at most `limit` members of the audience whose keys sort after
        `after_key` ("" for the first page), in key order."""
        ...

    def void_secrets(self, subject: str) -> int:
        """Spend every one-time secret of the subject not yet used (links and codes alike);
        return how many were still pending."""
        ...


class OperatorUnitOfWork(AccessUnitOfWork, Protocol):
    """The access unit of work, the directory across accounts, and houses for addresses."""

    @property
    def directory(self) -> AccountDirectory: ...

    @property
    def houses(self) -> HouseLookup: ...
