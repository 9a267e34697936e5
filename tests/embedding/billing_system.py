"""A billing system embedding `lk_core.readings` with persistence of its own.

This is the example `docs/embedding.md` walks through: the billing system keeps its
accounts, houses, services, meters and readings in its own store (here, dictionaries
copied per transaction), implements the five narrow repositories that
`ReadingsUnitOfWork` lists, and calls the portal's reading rules through the public API.
It imports nothing from `lk_adapters` and only public names of `lk_core`.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Sequence
from types import TracebackType
from typing import Self

import attrs

from lk_core.accounts import Account, House
from lk_core.ledger import Service
from lk_core.readings import (
    EntryStatus,
    Meter,
    Reading,
    ReadingConflict,
    ReadingsContext,
)


@attrs.define
class BillingData:
    """The billing system's own tables."""

    accounts: dict[str, Account] = attrs.Factory(dict)
    houses: dict[str, House] = attrs.Factory(dict)
    services: dict[str, Service] = attrs.Factory(dict)
    meters: dict[str, Meter] = attrs.Factory(dict)
    readings: dict[str, Reading] = attrs.Factory(dict)


class Accounts:
    def __init__(self, data: BillingData) -> None:
        self._data = data

    def get(self, key: str) -> Account | None:
        return self._data.accounts.get(key)


class Houses:
    def __init__(self, data: BillingData) -> None:
        self._data = data

    def get(self, code: str) -> House | None:
        return self._data.houses.get(code)


class Services:
    def __init__(self, data: BillingData) -> None:
        self._data = data

    def list(self) -> list[Service]:
        return sorted(self._data.services.values(), key=lambda s: s.code)


class Meters:
    def __init__(self, data: BillingData) -> None:
        self._data = data

    def get(self, meter_id: str) -> Meter | None:
        return self._data.meters.get(meter_id)

    def of_account(self, account_key: str) -> list[Meter]:
        found = [m for m in self._data.meters.values() if m.account_key == account_key]
        return sorted(found, key=lambda m: (m.service_code, m.serial))

    def of_house(self, house_code: str) -> list[Meter]:
        found = [m for m in self._data.meters.values() if m.house_code == house_code]
        return sorted(found, key=lambda m: (m.service_code, m.serial))


class Readings:
    def __init__(self, data: BillingData) -> None:
        self._data = data

    def get(self, reading_id: str) -> Reading | None:
        return copy.copy(self._data.readings.get(reading_id))

    def of_meter(self, meter_id: str) -> list[Reading]:
        return self.of_meters([meter_id])

    def of_meters(self, meter_ids: Sequence[str], *, withdrawn: bool = True) -> list[Reading]:
        found = [
            r
            for r in self._data.readings.values()
            if r.meter_id in meter_ids and (withdrawn or not r.status.is_withdrawn)
        ]
        found.sort(key=lambda r: (r.meter_id, r.period, r.taken_at, r.id))
        return [copy.copy(r) for r in found]

    def add_pending(self, reading: Reading) -> None:
        slot = (reading.meter_id, reading.zone, reading.period)
        if any(r.is_pending and (r.meter_id, r.zone, r.period) == slot
               for r in self._data.readings.values()):  # fmt: skip
            raise ReadingConflict()
        self._data.readings[reading.id] = copy.copy(reading)

    def withdraw(self, reading_id: str, status: EntryStatus) -> bool:
        stored = self._data.readings.get(reading_id)
        if stored is None or not stored.is_pending:
            return False
        stored.status = status
        return True


class BillingTransaction:
    """Works on a copy of the billing data; commit makes the copy the data."""

    def __init__(self, database: BillingDatabase) -> None:
        self._database = database
        self._working = copy.deepcopy(database.data)
        self.accounts = Accounts(self._working)
        self.houses = Houses(self._working)
        self.services = Services(self._working)
        self.meters = Meters(self._working)
        self.readings = Readings(self._working)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None

    def commit(self) -> None:
        self._database.data = copy.deepcopy(self._working)

    def rollback(self) -> None:
        fresh = copy.deepcopy(self._database.data)
        for field in attrs.fields(BillingData):
            setattr(self._working, field.name, getattr(fresh, field.name))


@attrs.define
class BillingDatabase:
    """The billing system's store, and the unit-of-work factory the readings need."""

    data: BillingData = attrs.Factory(BillingData)

    def __call__(self, *, read_only: bool = False) -> BillingTransaction:
        return BillingTransaction(self)


@attrs.frozen
class FixedClock:
    at: dt.datetime

    def now(self) -> dt.datetime:
        return self.at


def readings_of_billing(database: BillingDatabase, clock: FixedClock) -> ReadingsContext:
    """The portal's readings capability over the billing system's own store (mypy checks
    here that `BillingDatabase` is all `ReadingsContext` asks for)."""
    return ReadingsContext(database, clock)
