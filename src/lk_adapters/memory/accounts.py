"""Accounts kept in memory."""

from __future__ import annotations

import copy
from collections.abc import Sequence

import attrs

from lk_adapters.memory.store import InMemoryStore
from lk_core.accounts.account import Account


def by_number(account: Account) -> tuple[int, str]:
    """Numeric order of account numbers: shorter digit strings are smaller numbers."""
    return len(account.key), account.key


def merged_from_billing(stored: Account, billed: Account) -> Account:
    """Billing owns the flat and payer; the portal owns contacts and delivery settings."""
    return attrs.evolve(
        stored,
        number=billed.number,
        house_code=billed.house_code,
        payer_name=billed.payer_name,
        flat=billed.flat,
        rooms=billed.rooms,
        area=billed.area,
        residents=billed.residents,
        phone=stored.phone if stored.phone is not None else billed.phone,
        email=stored.email if stored.email is not None else billed.email,
    )


class InMemoryAccounts:
    """Accounts by the digits of their number."""

    def __init__(self, store: InMemoryStore) -> None:
        self._store = store

    def get(self, key: str) -> Account | None:
        stored = self._store.accounts.get(key)
        return copy.copy(stored) if stored is not None else None

    def get_many(self, keys: Sequence[str]) -> list[Account]:
        found = (self._store.accounts.get(key) for key in dict.fromkeys(keys))
        return [copy.copy(account) for account in found if account is not None]

    def upsert_from_billing(self, accounts: Sequence[Account]) -> None:
        stored = self._store.accounts
        for account in accounts:
            earlier = stored.get(account.key)
            stored[account.key] = (
                copy.copy(account) if earlier is None else merged_from_billing(earlier, account)
            )

    def save(self, account: Account) -> None:
        """Store the portal-owned fields; an account not on file is stored whole."""
        earlier = self._store.accounts.get(account.key)
        self._store.accounts[account.key] = (
            copy.copy(account)
            if earlier is None
            else attrs.evolve(
                earlier,
                phone=account.phone,
                email=account.email,
                delivery=account.delivery,
                sms_informing=account.sms_informing,
                email_informing=account.email_informing,
            )
        )

    def keys(self) -> set[str]:
        return set(self._store.accounts)

    def count(self) -> int:
        return len(self._store.accounts)

    def in_house(self, house_code: str) -> list[Account]:
        found = [a for a in self._store.accounts.values() if a.house_code == house_code]
        return [copy.copy(account) for account in sorted(found, key=by_number)]
