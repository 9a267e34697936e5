"""Transactions over an in-memory store: all of a transaction's changes, or none."""

from __future__ import annotations

import threading
from types import TracebackType
from typing import Self

from lk_adapters.memory.accounts import InMemoryAccounts
from lk_adapters.memory.announcements import InMemoryAnnouncements
from lk_adapters.memory.api_keys import InMemoryApiKeys
from lk_adapters.memory.app_devices import InMemoryAppDevices
from lk_adapters.memory.audit_log import InMemoryAuditLog
from lk_adapters.memory.consents import InMemoryConsents
from lk_adapters.memory.directory import InMemoryAccountDirectory
from lk_adapters.memory.houses import InMemoryHouses
from lk_adapters.memory.idempotent_requests import InMemoryIdempotentRequests
from lk_adapters.memory.ledger import InMemoryLedger
from lk_adapters.memory.link_requests import InMemoryLinkRequests
from lk_adapters.memory.linked_accounts import InMemoryLinkedAccounts
from lk_adapters.memory.meters import InMemoryMeters
from lk_adapters.memory.outbox import InMemoryOutbox
from lk_adapters.memory.payment_orders import InMemoryPaymentOrders
from lk_adapters.memory.payment_verifications import InMemoryPaymentVerifications
from lk_adapters.memory.payments import InMemoryPayments
from lk_adapters.memory.periods import InMemoryPeriods
from lk_adapters.memory.rate_counters import InMemoryRateCounters
from lk_adapters.memory.readings import InMemoryReadings
from lk_adapters.memory.registrations import InMemoryRegistrations
from lk_adapters.memory.registry_lines import InMemoryRegistryLines
from lk_adapters.memory.secrets import InMemorySecrets
from lk_adapters.memory.service_requests import (
    InMemoryRequestJournal,
    InMemoryRequestPhotos,
    InMemoryServiceRequests,
)
from lk_adapters.memory.services import InMemoryServices
from lk_adapters.memory.sessions import InMemorySessions
from lk_adapters.memory.staff import (
    InMemoryStaff,
    InMemoryStaffAuditTrail,
    InMemoryStaffRecoveryCodes,
    InMemoryStaffSessions,
)
from lk_adapters.memory.store import InMemoryStore


class InMemoryUnitOfWork:
    """Works on a snapshot of the store; commit makes the snapshot the store's content.

    Transactions are isolated but not merged: when two overlap, the later commit wins
    whole, which is right for one process running one request at a time.
    """

    houses: InMemoryHouses
    accounts: InMemoryAccounts
    services: InMemoryServices
    periods: InMemoryPeriods
    ledger: InMemoryLedger
    payments: InMemoryPayments
    meters: InMemoryMeters
    readings: InMemoryReadings
    registrations: InMemoryRegistrations
    secrets: InMemorySecrets
    consents: InMemoryConsents
    sessions: InMemorySessions
    rate_counters: InMemoryRateCounters
    audit: InMemoryAuditLog
    outbox: InMemoryOutbox
    linked_accounts: InMemoryLinkedAccounts
    link_requests: InMemoryLinkRequests
    directory: InMemoryAccountDirectory
    payment_orders: InMemoryPaymentOrders
    registry_lines: InMemoryRegistryLines
    payment_verifications: InMemoryPaymentVerifications
    staff: InMemoryStaff
    staff_sessions: InMemoryStaffSessions
    staff_recovery_codes: InMemoryStaffRecoveryCodes
    staff_audit: InMemoryStaffAuditTrail
    announcements: InMemoryAnnouncements
    app_devices: InMemoryAppDevices
    api_keys: InMemoryApiKeys
    idempotency: InMemoryIdempotentRequests
    service_requests: InMemoryServiceRequests
    request_journal: InMemoryRequestJournal
    request_photos: InMemoryRequestPhotos

    def __init__(self, store: InMemoryStore, lock: threading.Lock) -> None:
        self._store = store
        self._lock = lock
        self._working = InMemoryStore()

    def __enter__(self) -> Self:
        with self._lock:
            self._working = self._store.snapshot()
        working = self._working
        self.houses = InMemoryHouses(working)
        self.accounts = InMemoryAccounts(working)
        self.services = InMemoryServices(working)
        self.periods = InMemoryPeriods(working)
        self.ledger = InMemoryLedger(working)
        self.payments = InMemoryPayments(working)
        self.meters = InMemoryMeters(working)
        self.readings = InMemoryReadings(working)
        self.registrations = InMemoryRegistrations(working)
        self.secrets = InMemorySecrets(working)
        self.consents = InMemoryConsents(working)
        self.sessions = InMemorySessions(working)
        self.rate_counters = InMemoryRateCounters(working)
        self.audit = InMemoryAuditLog(working)
        self.outbox = InMemoryOutbox(working)
        self.linked_accounts = InMemoryLinkedAccounts(working)
        self.link_requests = InMemoryLinkRequests(working)
        self.directory = InMemoryAccountDirectory(working)
        self.payment_orders = InMemoryPaymentOrders(working)
        self.registry_lines = InMemoryRegistryLines(working)
        self.payment_verifications = InMemoryPaymentVerifications(working)
        self.staff = InMemoryStaff(working)
        self.staff_sessions = InMemoryStaffSessions(working)
        self.staff_recovery_codes = InMemoryStaffRecoveryCodes(working)
        self.staff_audit = InMemoryStaffAuditTrail(working)
        self.announcements = InMemoryAnnouncements(working)
        self.app_devices = InMemoryAppDevices(working)
        self.api_keys = InMemoryApiKeys(working)
        self.idempotency = InMemoryIdempotentRequests(working)
        self.service_requests = InMemoryServiceRequests(working)
        self.request_journal = InMemoryRequestJournal(working)
        self.request_photos = InMemoryRequestPhotos(working)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.rollback()

    def commit(self) -> None:
        with self._lock:
            self._store.take_over(self._working.snapshot())

    def rollback(self) -> None:
        with self._lock:
            self._working.take_over(self._store.snapshot())


class InMemoryUnitOfWorkFactory:
    """Fresh units of work over one shared store."""

    def __init__(self, store: InMemoryStore | None = None) -> None:
        self.store = store if store is not None else InMemoryStore()
        self._lock = threading.Lock()

    def __call__(self, *, read_only: bool = False) -> InMemoryUnitOfWork:
        """`read_only` is a hint for databases that lock; memory needs none."""
        return InMemoryUnitOfWork(self.store, self._lock)
