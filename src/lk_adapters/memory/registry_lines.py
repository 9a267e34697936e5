"""Loaded bank registry lines kept in memory."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from lk_adapters.memory.store import InMemoryStore
from lk_core.payments.registry import RegistryLine


class InMemoryRegistryLines:
    """Lines keyed by bank and the bank's operation number."""

    def __init__(self, store: InMemoryStore) -> None:
        self._store = store

    def add_many(self, lines: Sequence[RegistryLine]) -> int:
        stored = self._store.registry_lines
        before = len(stored)
        for line in lines:
            stored.setdefault(line.key, line)
        return len(stored) - before

    def known(self, bank: str, line_ids: Sequence[str]) -> set[str]:
        return {i for i in line_ids if (bank, i) in self._store.registry_lines}

    def paid_on(self, day: dt.date) -> list[RegistryLine]:
        found = [line for line in self._store.registry_lines.values() if line.paid_on == day]
        return sorted(found, key=lambda line: line.key)
