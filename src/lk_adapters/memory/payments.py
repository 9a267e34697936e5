"""Payments kept in memory."""

from __future__ import annotations

from collections.abc import Sequence

from lk_adapters.memory.store import InMemoryStore
from lk_core.payments.payment import Payment


class InMemoryPayments:
    """Payments by channel and external id, in the order they were added."""

    def __init__(self, store: InMemoryStore) -> None:
        self._store = store

    def add_many(self, payments: Sequence[Payment]) -> int:
        stored = self._store.payments
        before = len(stored)
        for payment in payments:
            stored.setdefault((payment.channel.value, payment.external_id), payment)
        return len(stored) - before

    def of_account(self, account_key: str) -> list[Payment]:
        latest_added_first = [
            payment
            for payment in reversed(self._store.payments.values())
            if payment.account_key == account_key
        ]
        return sorted(latest_added_first, key=lambda payment: payment.paid_on, reverse=True)
