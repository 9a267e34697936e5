"""What loading billing's files needs: the file itself, and every repository it fills."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Protocol

from lk_core.accounts.ports import AccountRepository, HouseRepository
from lk_core.kernel.transaction import Transaction
from lk_core.ledger.ports import LedgerRepository, PeriodRepository, ServiceRepository
from lk_core.payments.ports import PaymentRepository
from lk_core.readings.ports import MeterStore, ReadingStore


class SourceFile(Protocol):
    """A billing-data file opened for import: its kind, header and rows (F21).

    `batches(size, parse)` gives the rows `size` at a time, in file order, each batch as
    (rows with their line numbers, records): ([], records) when `parse` made records of
    the batch's fields, (rows, None) when it handed the batch back (None) or no `parse`
    was given. An adapter may run `parse` in another process (ADR 0010): whatever it
    changes besides its records is lost to the caller.
    """

    name: str
    kind: str
    columns: dict[str, int]

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """Line number and fields of every data row, in file order."""
        ...

    def batches(
        self, size: int, parse: Callable[[list[list[str]]], Sequence[object] | None] | None
    ) -> Iterator[tuple[list[tuple[int, list[str]]], Sequence[object] | None]]:
        """The rows `size` at a time, each batch parsed by `parse` if given."""
        ...

    def progress(self) -> tuple[int, int]:
        """Bytes read so far and the file's size in bytes."""
        ...


class BillingImportUnitOfWork(Transaction, Protocol):
    """One transaction over everything billing's files load."""

    @property
    def houses(self) -> HouseRepository: ...

    @property
    def accounts(self) -> AccountRepository: ...

    @property
    def services(self) -> ServiceRepository: ...

    @property
    def periods(self) -> PeriodRepository: ...

    @property
    def ledger(self) -> LedgerRepository: ...

    @property
    def payments(self) -> PaymentRepository: ...

    @property
    def meters(self) -> MeterStore: ...

    @property
    def readings(self) -> ReadingStore: ...
