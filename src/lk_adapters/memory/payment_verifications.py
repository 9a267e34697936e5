"""Pending verifications of provider notifications kept in memory."""

from __future__ import annotations

import datetime as dt

import attrs

from lk_adapters.memory.store import InMemoryStore
from lk_core.payments.pending_verification import PendingVerification

PROBLEM_LENGTH = 500


class InMemoryPaymentVerifications:
    """Verifications by (provider, provider's payment id)."""

    def __init__(self, store: InMemoryStore) -> None:
        self._store = store

    def add(self, verification: PendingVerification) -> None:
        key = (verification.provider, verification.provider_payment_id)
        stored = self._store.payment_verifications.get(key)
        if stored is not None:
            self._store.payment_verifications[key] = attrs.evolve(
                stored, notices=stored.notices + 1
            )
            return
        self._store.payment_verifications[key] = attrs.evolve(
            verification, last_problem=verification.last_problem[:PROBLEM_LENGTH]
        )

    def get(self, provider: str, provider_payment_id: str) -> PendingVerification | None:
        return self._store.payment_verifications.get((provider, provider_payment_id))

    def soonest_due(self) -> dt.datetime | None:
        pending = self._store.payment_verifications.values()
        return min((v.next_attempt_at for v in pending), default=None)

    def claim_due(
        self, now: dt.datetime, limit: int, lease: dt.timedelta
    ) -> list[PendingVerification]:
        due = sorted(
            (v for v in self._store.payment_verifications.values() if v.next_attempt_at <= now),
            key=lambda v: (v.next_attempt_at, v.provider, v.provider_payment_id),
        )[:limit]
        claimed = [
            attrs.evolve(v, next_attempt_at=now + lease, attempts=v.attempts + 1) for v in due
        ]
        for verification in claimed:
            key = (verification.provider, verification.provider_payment_id)
            self._store.payment_verifications[key] = verification
        return claimed

    def postpone(self, verification: PendingVerification, at: dt.datetime, problem: str) -> None:
        key = (verification.provider, verification.provider_payment_id)
        stored = self._store.payment_verifications.get(key)
        if stored is not None:
            self._store.payment_verifications[key] = attrs.evolve(
                stored, next_attempt_at=at, last_problem=problem[:PROBLEM_LENGTH]
            )

    def remove(self, verification: PendingVerification) -> bool:
        key = (verification.provider, verification.provider_payment_id)
        stored = self._store.payment_verifications.get(key)
        if stored is None or stored.notices != verification.notices:
            return False
        del self._store.payment_verifications[key]
        return True
