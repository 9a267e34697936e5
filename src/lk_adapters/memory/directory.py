"""The operators' account directory over the in-memory store."""

from __future__ import annotations

import copy

import attrs

from lk_adapters.memory.accounts import by_number
from lk_adapters.memory.store import InMemoryStore
from lk_core.access.one_time_secrets import OneTimeSecret
from lk_core.access.registration import ConsentKind
from lk_core.accounts.account import Account
from lk_core.kernel.money import Money
from lk_core.operator.directory import (
    AccountFound,
    AccountQuery,
    Audience,
    AudienceMember,
    AudiencePage,
    RegistrationSummary,
)


class InMemoryAccountDirectory:
    """Searches and audiences by scanning the store's accounts in key order."""

    def __init__(self, store: InMemoryStore) -> None:
        self._store = store

    def _found(self, account: Account) -> AccountFound:
        house = self._store.houses.get(account.house_code)
        registration = self._store.registrations.get(account.key)
        return AccountFound(
            copy.copy(account),
            house.address if house is not None else "",
            RegistrationSummary.of(registration) if registration is not None else None,
        )

    def find(self, query: AccountQuery, limit: int) -> list[AccountFound]:
        found: list[AccountFound] = []
        for key in sorted(self._store.accounts):
            item = self._found(self._store.accounts[key])
            if query.matches(item):
                found.append(item)
                if len(found) == limit:
                    break
        return sorted(found, key=lambda item: by_number(item.account))

    def _debts(self) -> dict[str, Money]:
        """Each account's closing balance in its newest period with ledger lines."""
        latest: dict[str, int] = {}
        for account, period, *_ in self._store.ledger.values():
            latest[account] = max(period, latest.get(account, period))
        debts: dict[str, int] = {}
        for account, period, _, opening, charged, recalc, paid, *_ in self._store.ledger.values():
            if period == latest[account]:
                debts[account] = debts.get(account, 0) + opening + charged + recalc - paid
        return {account: Money(kopecks) for account, kopecks in debts.items()}

    def _consented_to(self, key: str, kind: ConsentKind) -> str | None:
        records = [
            c for c in self._store.consents.values() if c.account_key == key and c.kind is kind
        ]
        if not records:
            return None
        last = max(enumerate(records), key=lambda pair: (pair[1].at, pair[0]))[1]
        return last.address if last.given else None

    def audience(self, audience: Audience, after_key: str, limit: int) -> AudiencePage:
        members: list[AudienceMember] = []
        debts = self._debts() if self._store.ledger else {}
        keys = sorted(k for k in self._store.accounts if k > after_key)
        if audience.account_keys is not None:
            keys = [k for k in keys if k in audience.account_keys]
        for key in keys:
            account = self._store.accounts[key]
            if audience.house_code is not None and account.house_code != audience.house_code:
                continue
            debt = debts.get(key, Money(0))
            if audience.min_debt is not None and debt < audience.min_debt:
                continue
            house = self._store.houses.get(account.house_code)
            members.append(
                AudienceMember(
                    copy.copy(account),
                    debt,
                    house.address if house is not None else "",
                    self._consented_to(key, ConsentKind.SMS_INFORMING),
                    self._consented_to(key, ConsentKind.EMAIL_INFORMING),
                )
            )
            if len(members) == limit:
                return AudiencePage(tuple(members), key)
        return AudiencePage(tuple(members), None)

    def void_secrets(self, subject: str) -> int:
        pending: list[OneTimeSecret] = [
            secret
            for secret in self._store.secrets.values()
            if secret.subject == subject and secret.used_at is None and secret.attempts_left > 0
        ]
        for secret in pending:
            self._store.secrets[secret.secret_hash] = attrs.evolve(secret, attempts_left=0)
        return len(pending)
