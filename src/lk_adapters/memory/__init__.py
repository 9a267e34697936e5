"""In-memory persistence: real adapters of every repository port, kept in dicts."""

from lk_adapters.memory.store import InMemoryStore
from lk_adapters.memory.unit_of_work import InMemoryUnitOfWork, InMemoryUnitOfWorkFactory

__all__ = ["InMemoryStore", "InMemoryUnitOfWork", "InMemoryUnitOfWorkFactory"]
