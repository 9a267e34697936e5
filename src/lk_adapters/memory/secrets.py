"""One-time secrets kept in memory."""

from __future__ import annotations

import copy
import datetime as dt

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

    def consume(self, secret_hash: str, purpose: SecretPurpose, at: dt.datetime) -> bool:
        stored = self._store.secrets.get(secret_hash)
        if stored is None or stored.purpose is not purpose or not stored.is_usable(at):
            return False
        self._store.secrets[secret_hash] = attrs.evolve(stored, used_at=at)
        return True

    def spend_attempt(self, secret_hash: str) -> bool:
        stored = self._store.secrets.get(secret_hash)
        if stored is None or stored.used_at is not None or stored.attempts_left <= 0:
            return False
        self._store.secrets[secret_hash] = attrs.evolve(
            stored, attempts_left=stored.attempts_left - 1
        )
        return True

    def void(self, secret_hash: str) -> None:
        stored = self._store.secrets.get(secret_hash)
        if stored is not None:
            self._store.secrets[secret_hash] = attrs.evolve(stored, attempts_left=0)
