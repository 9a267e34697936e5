"""What the readings capability needs from storage.

The residents' side (submitting, withdrawing, the history) needs `ReadingsUnitOfWork`:
an account and house lookup, the service catalogue, and the narrow meter and reading
repositories below. Billing's exchange and month close read and write more, through
`MeterStore` and `ReadingStore`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Protocol

import attrs

from lk_core.accounts.ports import AccountLookup, HouseLookup
from lk_core.kernel.periods import Period
from lk_core.kernel.transaction import Transaction
from lk_core.ledger.ports import ServiceCatalogue
from lk_core.readings.meters import Meter
from lk_core.readings.reading import EntryStatus, Reading


class MeterRepository(Protocol):
    """The meters a resident submits readings for."""

    def get(self, meter_id: str) -> Meter | None:
        """The meter with that id."""
        ...

    def of_account(self, account_key: str) -> list[Meter]:
        """An account's individual meters, by service and serial."""
        ...

    def of_house(self, house_code: str) -> list[Meter]:
        """A house's common-house meters, by service and serial."""
        ...


class ReadingRepository(Protocol):
    """A meter's readings, and the one pending reading a resident may add or withdraw."""

    def get(self, reading_id: str) -> Reading | None:
        """The reading with that id."""
        ...

    def of_meter(self, meter_id: str) -> list[Reading]:
        """A meter's readings, oldest first (by period, then time taken)."""
        ...

    def of_meters(self, meter_ids: Sequence[str], *, withdrawn: bool = True) -> list[Reading]:
        """Readings of several meters, each meter's oldest first (as `of_meter`); with
        `withdrawn=False` without those replaced or deleted (`EntryStatus.is_withdrawn`): what
        the submission form works from, which does not grow with every replaced value."""
        ...

    def add_pending(self, reading: Reading) -> None:
        """Store a new pending reading; `ReadingConflict` if its meter, zone and period
        already have one (the database enforces it, so concurrent writers cannot both win)."""
        ...

    def withdraw(self, reading_id: str, status: EntryStatus) -> bool:
        """Turn a still pending reading into `status` (replaced, deleted); False if it was
        no longer pending, changing nothing."""
        ...


class MeterStore(MeterRepository, Protocol):
    """Every meter the portal keeps: billing loads them, month close reads them in bulk."""

    def upsert_many(self, meters: Sequence[Meter]) -> None:
        """Add meters or update them by id."""
        ...

    def ids(self) -> set[str]:
        """The ids of every meter."""
        ...

    def of_accounts(self, account_keys: Sequence[str]) -> list[Meter]:
        """The individual meters of several accounts, by service and serial."""
        ...


class ReadingStore(ReadingRepository, Protocol):
    """Every reading the portal keeps: billing's exchange and month close use these too."""

    def upsert_many(self, readings: Sequence[Reading]) -> None:
        """Add readings or replace them by id."""
        ...

    def pending_in(self, period: Period) -> Iterator[Reading]:
        """The pending readings of a period by meter, zone and time, streamed from storage."""
        ...

    def of_meters_in(self, meter_ids: Sequence[str], periods: Sequence[Period]) -> list[Reading]:
        """The readings of several meters in the given periods, oldest first (by period,
        then time taken), for the receipts of month close."""
        ...

    def pending_after(self, period: Period, after_id: str, limit: int) -> list[Reading]:
        """At most `limit` pending readings of a period whose ids sort after `after_id`
        ("" for the first page), in id order (by code point): a page of billing's export."""
        ...


class ReadingsUnitOfWork(Transaction, Protocol):
    """One transaction over what submitting and reviewing readings touches."""

    @property
    def accounts(self) -> AccountLookup: ...

    @property
    def houses(self) -> HouseLookup: ...

    @property
    def services(self) -> ServiceCatalogue: ...

    @property
    def meters(self) -> MeterRepository: ...

    @property
    def readings(self) -> ReadingRepository: ...


@attrs.frozen
class ReadingsFormReads:
    """`readings_form`'s reads, told ahead (`lk_core.kernel.read_ahead`): the account, its
    meters, the services, and the readings of its meters that were not withdrawn."""

    account_key: str
