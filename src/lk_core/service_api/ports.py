"""What the service API needs: stored API keys, idempotent requests and the audit log."""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from lk_core.access.ports import AuditLog, RateCounterRepository
from lk_core.kernel.transaction import Transaction
from lk_core.service_api.api_keys import ApiKey
from lk_core.service_api.idempotency import IdempotentRequest, StoredAnswer


class ApiKeyRepository(Protocol):
    def add(self, key: ApiKey) -> None:
        """Store a new key."""
        ...

    def get(self, key_id: str) -> ApiKey | None:
        """The key with this id, revoked or not."""
        ...

    def list(self) -> list[ApiKey]:
        """Every key, revoked ones too, oldest first."""
        ...

    def revoke(self, key_id: str, at: dt.datetime) -> bool:
        """Mark the key revoked at `at` unless it is already; whether this call revoked it."""
        ...

    def mark_used(self, key_id: str, at: dt.datetime) -> None:
        """Record that the key was used at `at` (a later time only ever moves it forward)."""
        ...


class IdempotencyRepository(Protocol):
    """Requests by caller and idempotency key. Claims are conditional writes, so of
    concurrent requests with one key exactly one claims it."""

    def claim(self, request: IdempotentRequest) -> bool:
        """Store the request unless its caller's key is stored already; whether it was."""
        ...

    def get(self, caller: str, key: str) -> IdempotentRequest | None:
        """The request stored under the caller's key."""
        ...

    def take_over(
        self, caller: str, key: str, request_hash: str, claimed_before: dt.datetime, at: dt.datetime
    ) -> bool:
        """Claim anew, at `at`, a stored request with this hash that has no answer and was
        claimed before `claimed_before`, by one conditional write; whether it was."""
        ...

    def answer(self, caller: str, key: str, answer: StoredAnswer) -> None:
        """Store the answer of a claimed request."""
        ...

    def release(self, caller: str, key: str) -> None:
        """Forget a claimed request that has no answer (it failed and may be retried)."""
        ...

    def delete_expired(self, before: dt.datetime) -> int:
        """Forget requests that expired before the given time; return how many."""
        ...


class ServiceApiUnitOfWork(Transaction, Protocol):
    """API keys, idempotent requests, the audit log and the throttle counters, in one
    transaction."""

    @property
    def api_keys(self) -> ApiKeyRepository: ...

    @property
    def idempotency(self) -> IdempotencyRepository: ...

    @property
    def audit(self) -> AuditLog: ...

    @property
    def rate_counters(self) -> RateCounterRepository: ...
