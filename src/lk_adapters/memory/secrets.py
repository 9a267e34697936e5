"""One-time secrets kept in memory."""

from __future__ import annotations

import copy

import attrs

from lk_adapters.memory.store import InMemoryStore
from lk_core.access.one_time_secrets import OneTimeSecret, SecretPurpose


class InMemorySecrets:
    """Secrets by hash, in the order they were issued."""

    def __init__(self, store: InMemoryStore) -> None:
        self._store = store

    def add(self, secret: OneTimeSecret) -> None:
        if secret.secret_hash in self._store.secrets:
            raise KeyError(f"a secret with this hash is already stored: {secret.secret_hash}")
        self._store.secrets[secret.secret_hash] = copy.copy(secret)

    def find(self, secret_hash: str) -> OneTimeSecret | None:
        stored = self._store.secrets.get(secret_hash)
        return copy.copy(stored) if stored is not None else None

    def latest(self, subject: str, purpose: SecretPurpose) -> OneTimeSecret | None:
        found = [
            (secret.issued_at, order, secret)
            for order, secret in enumerate(self._store.secrets.values())
            if secret.subject == subject and secret.purpose is purpose
        ]
        return copy.copy(max(found)[2]) if found else None

    def save(self, secret: OneTimeSecret) -> None:
        """Store what may change of a stored secret: its attempts left and when it was used."""
        stored = self._store.secrets.get(secret.secret_hash)
        if stored is not None:
            self._store.secrets[secret.secret_hash] = attrs.evolve(
                stored, attempts_left=secret.attempts_left, used_at=secret.used_at
            )
