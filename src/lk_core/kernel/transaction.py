"""A unit of work: one transaction over the repositories a capability declares.

Each capability names the repositories its use cases need in a Protocol of its own that
extends `Transaction` (`ReadingsUnitOfWork`, `AccessUnitOfWork`, …); one adapter's unit of
work, holding every repository, satisfies them all structurally, and an embedder's need
only hold what that capability lists.
"""

from __future__ import annotations

from types import TracebackType
from typing import Protocol, Self, TypeVar, runtime_checkable


class Transaction(Protocol):
    """One transaction: all of it commits, or none of it."""

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Roll back whatever was not committed."""
        ...

    def commit(self) -> None:
        """Make the transaction's changes permanent."""
        ...

    def rollback(self) -> None:
        """Forget the transaction's changes."""
        ...


UnitOfWork_co = TypeVar("UnitOfWork_co", bound=Transaction, covariant=True)


@runtime_checkable
class UnitOfWorkFactory(Protocol[UnitOfWork_co]):
    """Makes a fresh unit of work; `read_only=True` promises no writes, which lets an
    embedded database run it alongside a writer instead of queueing behind it."""

    def __call__(self, *, read_only: bool = False) -> UnitOfWork_co: ...
