"""What the accounts capability keeps: houses and accounts, and the one-method lookups
other capabilities declare when that is all they need."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from lk_core.accounts.account import Account, House


class HouseLookup(Protocol):
    """Finding a house by its code."""

    def get(self, code: str) -> House | None:
        """The house with that code."""
        ...


class HouseRepository(HouseLookup, Protocol):
    """Every house billing has loaded."""

    def upsert_many(self, houses: Sequence[House]) -> None:
        """Add houses or update them by code."""
        ...

    def codes(self) -> set[str]:
        """The codes of every house."""
        ...

    def all(self) -> list[House]:
        """Every house, by code."""
        ...


class AccountLookup(Protocol):
    """Finding an account by the digits of its number."""

    def get(self, key: str) -> Account | None:
        """The account whose number has these digits."""
        ...


class AccountRepository(AccountLookup, Protocol):
    """Every account billing has loaded, and the residents' settings on them."""

    def upsert_from_billing(self, accounts: Sequence[Account]) -> None:
        """Add accounts or update the billing-owned fields; contacts and delivery settings
        already on file are kept, a contact is filled in only where none is on file."""
        ...

    def save(self, account: Account) -> None:
        """Store an account changed in the portal (contacts, delivery, informing)."""
        ...

    def keys(self) -> set[str]:
        """The number digits of every account."""
        ...

    def count(self) -> int:
        """How many accounts there are."""
        ...

    def in_house(self, house_code: str) -> list[Account]:
        """The accounts of a house, by number."""
        ...

    def get_many(self, keys: Sequence[str]) -> list[Account]:
        """The accounts with these keys that exist, in any order (month close gathers a batch)."""
        ...
