"""What a use case is about to read, said to its unit of work beforehand.

A unit of work whose repositories are each a network round trip away may read all of it
at once when told (PostgreSQL: one statement, ADR 0059). The hint is optional on both
sides: a unit of work without `expect` (the in-memory one, SQLite's, an embedder's) is
not told, and one that has it must return exactly what its repositories would have
returned without it. Each capability describes its own reads as a frozen value.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable


@runtime_checkable
class ReadsAhead(Protocol):
    """A unit of work that can read ahead what it is told a use case will ask for."""

    def expect(self, reads: object) -> None:
        """Read ahead what `reads` describes, or nothing if it does not know it."""
        ...


def expect(uow: object, reads: object) -> None:
    """Tell the unit of work what is about to be read, if it reads ahead."""
    if isinstance(uow, ReadsAhead):
        uow.expect(reads)
