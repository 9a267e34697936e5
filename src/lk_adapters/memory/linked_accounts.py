"""Account links kept in memory."""

from __future__ import annotations

from lk_adapters.memory.store import InMemoryStore
from lk_core.access.links import AccountLink


class InMemoryLinkedAccounts:
    """Links by registration and account."""

    def __init__(self, store: InMemoryStore) -> None:
        self._store = store

    def add(self, link: AccountLink) -> None:
        self._store.linked_accounts.setdefault((link.registration_key, link.account_key), link)

    def remove(self, registration_key: str, account_key: str) -> bool:
        return self._store.linked_accounts.pop((registration_key, account_key), None) is not None

    def of_registration(self, registration_key: str) -> list[AccountLink]:
        found = [
            link
            for link in self._store.linked_accounts.values()
            if link.registration_key == registration_key
        ]
        return sorted(found, key=lambda link: (link.linked_at, link.account_key))

    def is_linked(self, registration_key: str, account_key: str) -> bool:
        return (registration_key, account_key) in self._store.linked_accounts

    def count_for_email(self, email_key: str) -> int:
        wanted = email_key.lower()
        with_email = {key for key, r in self._store.registrations.items() if r.email.key == wanted}
        return sum(
            1 for link in self._store.linked_accounts.values()
            if link.registration_key in with_email
        )  # fmt: skip
