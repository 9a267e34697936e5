"""Transactions over one database connection: all of a transaction's changes, or none."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy import Connection, Engine

from lk_adapters.sqlalchemy.engine import READ_ONLY
from lk_adapters.sqlalchemy.read_ahead import (
    ReadAhead,
    ReadAheadAccounts,
    ReadAheadAnnouncements,
    ReadAheadLedger,
    ReadAheadLinkedAccounts,
    ReadAheadMeters,
    ReadAheadPaymentOrders,
    ReadAheadPayments,
    ReadAheadReadings,
    ReadAheadServices,
    ReadAheadSessions,
)
from lk_adapters.sqlalchemy.read_ahead_personal import (
    ReadAheadAppDevices,
    ReadAheadHouses,
    ReadAheadLinkRequests,
    ReadAheadRegistrations,
    ReadAheadSecrets,
)
from lk_adapters.sqlalchemy.repositories import (
    SqlAlchemyAccountDirectory,
    SqlAlchemyAccounts,
    SqlAlchemyAuditLog,
    SqlAlchemyConsents,
    SqlAlchemyHouses,
    SqlAlchemyLedger,
    SqlAlchemyLinkedAccounts,
    SqlAlchemyMeters,
    SqlAlchemyOutbox,
    SqlAlchemyPayments,
    SqlAlchemyPeriods,
    SqlAlchemyRateCounters,
    SqlAlchemyReadings,
    SqlAlchemyRegistrations,
    SqlAlchemySecrets,
    SqlAlchemyServices,
    SqlAlchemySessions,
)
from lk_adapters.sqlalchemy.repositories.announcements import SqlAlchemyAnnouncements
from lk_adapters.sqlalchemy.repositories.api_keys import SqlAlchemyApiKeys
from lk_adapters.sqlalchemy.repositories.app_devices import SqlAlchemyAppDevices
from lk_adapters.sqlalchemy.repositories.idempotent_requests import SqlAlchemyIdempotentRequests
from lk_adapters.sqlalchemy.repositories.link_requests import SqlAlchemyLinkRequests
from lk_adapters.sqlalchemy.repositories.payment_orders import SqlAlchemyPaymentOrders
from lk_adapters.sqlalchemy.repositories.payment_verifications import (
    SqlAlchemyPaymentVerifications,
)
from lk_adapters.sqlalchemy.repositories.registry_lines import SqlAlchemyRegistryLines
from lk_adapters.sqlalchemy.repositories.service_requests import (
    SqlAlchemyRequestJournal,
    SqlAlchemyRequestPhotos,
    SqlAlchemyServiceRequests,
)
from lk_adapters.sqlalchemy.repositories.staff import (
    SqlAlchemyStaff,
    SqlAlchemyStaffAuditTrail,
    SqlAlchemyStaffRecoveryCodes,
    SqlAlchemyStaffSessions,
)
from lk_core.home.ports import MainPageReads
from lk_core.ledger.ports import SettlementReads
from lk_core.payments.ports import PaymentHistoryReads
from lk_core.personal_data.ports import PersonalPageReads
from lk_core.readings.ports import ReadingsFormReads


class SqlAlchemyUnitOfWork:
    """One connection and one transaction from `with` to its end; every repository shares it.

    After `commit` or `rollback` a new transaction begins, so the unit of work stays usable
    until the `with` block ends; leaving the block rolls back whatever was not committed.
    """

    houses: SqlAlchemyHouses
    accounts: SqlAlchemyAccounts
    services: SqlAlchemyServices
    periods: SqlAlchemyPeriods
    ledger: SqlAlchemyLedger
    payments: SqlAlchemyPayments
    meters: SqlAlchemyMeters
    readings: SqlAlchemyReadings
    registrations: SqlAlchemyRegistrations
    secrets: SqlAlchemySecrets
    consents: SqlAlchemyConsents
    sessions: SqlAlchemySessions
    rate_counters: SqlAlchemyRateCounters
    audit: SqlAlchemyAuditLog
    outbox: SqlAlchemyOutbox
    linked_accounts: SqlAlchemyLinkedAccounts
    link_requests: SqlAlchemyLinkRequests
    directory: SqlAlchemyAccountDirectory
    payment_orders: SqlAlchemyPaymentOrders
    registry_lines: SqlAlchemyRegistryLines
    payment_verifications: SqlAlchemyPaymentVerifications
    staff: SqlAlchemyStaff
    staff_sessions: SqlAlchemyStaffSessions
    staff_recovery_codes: SqlAlchemyStaffRecoveryCodes
    staff_audit: SqlAlchemyStaffAuditTrail
    announcements: SqlAlchemyAnnouncements
    app_devices: SqlAlchemyAppDevices
    api_keys: SqlAlchemyApiKeys
    idempotency: SqlAlchemyIdempotentRequests
    service_requests: SqlAlchemyServiceRequests
    request_journal: SqlAlchemyRequestJournal
    request_photos: SqlAlchemyRequestPhotos

    _connection: Connection
    _ahead: ReadAhead | None

    def __init__(self, engine: Engine, *, read_only: bool = False, durable: bool = True) -> None:
        self._engine = engine
        self._read_only = read_only
        self._durable = durable

    def __enter__(self) -> Self:
        connection = self._engine.connect()
        connection.info[READ_ONLY] = self._read_only
        self._connection = connection
        # On PostgreSQL a unit of work that only reads sends no BEGIN and no ROLLBACK,
        # a round trip each (and a ROLLBACK makes psycopg drop its prepared statements):
        # at READ COMMITTED each statement sees its own snapshot either way. It reads
        # a signed-in page ahead with the session (read_ahead.py, ADR 0059).
        postgres_read = self._read_only and connection.dialect.name == "postgresql"
        if postgres_read:
            connection.execution_options(isolation_level="AUTOCOMMIT")
        self._ahead = ReadAhead(connection) if postgres_read else None
        # Begun here, not at the first statement: on SQLite a writing unit of work takes
        # the write lock now (engine.py). After a commit the next one begins with its
        # first statement, so that a unit of work that commits last holds no lock after.
        connection.begin()
        if not self._durable and connection.dialect.name == "postgresql":
            # The commit is acknowledged before it is on disk (ADR 0070): the database
            # stays consistent, but a crash of PostgreSQL may lose the last fraction of
            # a second of such transactions — SQLite's `synchronous = NORMAL` for all.
            connection.exec_driver_sql("SET LOCAL synchronous_commit = off")
        self.houses = SqlAlchemyHouses(connection)
        self.accounts = SqlAlchemyAccounts(connection)
        self.services = SqlAlchemyServices(connection)
        self.periods = SqlAlchemyPeriods(connection)
        self.ledger = SqlAlchemyLedger(connection)
        self.payments = SqlAlchemyPayments(connection)
        self.meters = SqlAlchemyMeters(connection)
        self.readings = SqlAlchemyReadings(connection)
        self.registrations = SqlAlchemyRegistrations(connection)
        self.secrets = SqlAlchemySecrets(connection)
        self.consents = SqlAlchemyConsents(connection)
        self.sessions = SqlAlchemySessions(connection)
        self.rate_counters = SqlAlchemyRateCounters(connection)
        self.audit = SqlAlchemyAuditLog(connection)
        self.outbox = SqlAlchemyOutbox(connection)
        self.linked_accounts = SqlAlchemyLinkedAccounts(connection)
        self.link_requests = SqlAlchemyLinkRequests(connection)
        self.directory = SqlAlchemyAccountDirectory(connection)
        self.payment_orders = SqlAlchemyPaymentOrders(connection)
        self.registry_lines = SqlAlchemyRegistryLines(connection)
        self.payment_verifications = SqlAlchemyPaymentVerifications(connection)
        self.staff = SqlAlchemyStaff(connection)
        self.staff_sessions = SqlAlchemyStaffSessions(connection)
        self.staff_recovery_codes = SqlAlchemyStaffRecoveryCodes(connection)
        self.staff_audit = SqlAlchemyStaffAuditTrail(connection)
        self.announcements = SqlAlchemyAnnouncements(connection)
        self.app_devices = SqlAlchemyAppDevices(connection)
        self.api_keys = SqlAlchemyApiKeys(connection)
        self.idempotency = SqlAlchemyIdempotentRequests(connection)
        self.service_requests = SqlAlchemyServiceRequests(connection)
        self.request_journal = SqlAlchemyRequestJournal(connection)
        self.request_photos = SqlAlchemyRequestPhotos(connection)
        if self._ahead is not None:
            ahead = self._ahead
            self.sessions = ReadAheadSessions(connection, ahead)
            self.linked_accounts = ReadAheadLinkedAccounts(connection, ahead)
            self.accounts = ReadAheadAccounts(connection, ahead)
            self.ledger = ReadAheadLedger(connection, ahead)
            self.services = ReadAheadServices(connection, ahead)
            self.payment_orders = ReadAheadPaymentOrders(connection, ahead)
            self.payments = ReadAheadPayments(connection, ahead)
            self.meters = ReadAheadMeters(connection, ahead)
            self.readings = ReadAheadReadings(connection, ahead)
            self.announcements = ReadAheadAnnouncements(connection, ahead)
            self.houses = ReadAheadHouses(connection, ahead)
            self.registrations = ReadAheadRegistrations(connection, ahead)
            self.secrets = ReadAheadSecrets(connection, ahead)
            self.link_requests = ReadAheadLinkRequests(connection, ahead)
            self.app_devices = ReadAheadAppDevices(connection, ahead)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if self._connection.in_transaction():
                self._connection.rollback()
        finally:
            self._connection.close()

    def expect(self, reads: object) -> None:
        """Read ahead what a use case is about to ask for (`lk_core.kernel.read_ahead`):
        on PostgreSQL in one statement now; elsewhere there is nothing to save."""
        ahead = self._ahead
        if ahead is None:
            return
        match reads:
            case MainPageReads(id_hash, period, orders, today):
                ahead.main_page(id_hash, period, orders, today)
            case SettlementReads(account_key, period):
                ahead.settlements(account_key, period)
            case PaymentHistoryReads(account_key, orders):
                ahead.payment_history(account_key, orders)
            case ReadingsFormReads(account_key):
                ahead.readings_form(account_key)
            case PersonalPageReads(id_hash):
                ahead.personal_page(id_hash)

    def commit(self) -> None:
        self._connection.commit()

    def rollback(self) -> None:
        self._connection.rollback()


class SqlAlchemyUnitOfWorkFactory:
    """Fresh units of work over one engine (and its connection pool). `durable=False`: their
    first transaction's commit does not wait for the disk on PostgreSQL (ADR 0070), for
    records whose loss in a database crash wrongs no one, as a desk page's view event."""

    def __init__(self, engine: Engine, *, durable: bool = True) -> None:
        self.engine = engine
        self.durable = durable

    def __call__(self, *, read_only: bool = False) -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(self.engine, read_only=read_only, durable=self.durable)
