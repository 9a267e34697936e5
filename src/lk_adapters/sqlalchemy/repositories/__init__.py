"""Repositories over one SQLAlchemy connection, mapping rows to domain objects explicitly."""

from lk_adapters.sqlalchemy.repositories.accounts import SqlAlchemyAccounts
from lk_adapters.sqlalchemy.repositories.audit_log import SqlAlchemyAuditLog
from lk_adapters.sqlalchemy.repositories.consents import SqlAlchemyConsents
from lk_adapters.sqlalchemy.repositories.directory import SqlAlchemyAccountDirectory
from lk_adapters.sqlalchemy.repositories.houses import SqlAlchemyHouses
from lk_adapters.sqlalchemy.repositories.ledger import SqlAlchemyLedger
from lk_adapters.sqlalchemy.repositories.linked_accounts import SqlAlchemyLinkedAccounts
from lk_adapters.sqlalchemy.repositories.meters import SqlAlchemyMeters
from lk_adapters.sqlalchemy.repositories.outbox import SqlAlchemyOutbox
from lk_adapters.sqlalchemy.repositories.payments import SqlAlchemyPayments
from lk_adapters.sqlalchemy.repositories.periods import SqlAlchemyPeriods
from lk_adapters.sqlalchemy.repositories.rate_counters import SqlAlchemyRateCounters
from lk_adapters.sqlalchemy.repositories.readings import SqlAlchemyReadings
from lk_adapters.sqlalchemy.repositories.registrations import SqlAlchemyRegistrations
from lk_adapters.sqlalchemy.repositories.secrets import SqlAlchemySecrets
from lk_adapters.sqlalchemy.repositories.services import SqlAlchemyServices
from lk_adapters.sqlalchemy.repositories.sessions import SqlAlchemySessions

__all__ = [
    "SqlAlchemyAccountDirectory",
    "SqlAlchemyAccounts",
    "SqlAlchemyAuditLog",
    "SqlAlchemyConsents",
    "SqlAlchemyHouses",
    "SqlAlchemyLedger",
    "SqlAlchemyLinkedAccounts",
    "SqlAlchemyMeters",
    "SqlAlchemyOutbox",
    "SqlAlchemyPayments",
    "SqlAlchemyPeriods",
    "SqlAlchemyRateCounters",
    "SqlAlchemyReadings",
    "SqlAlchemyRegistrations",
    "SqlAlchemySecrets",
    "SqlAlchemyServices",
    "SqlAlchemySessions",
]
