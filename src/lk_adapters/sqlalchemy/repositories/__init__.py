"""Repositories over one SQLAlchemy connection, mapping rows to domain objects explicitly."""

from lk_adapters.sqlalchemy.repositories.accounts import SqlAlchemyAccounts
from lk_adapters.sqlalchemy.repositories.consents import SqlAlchemyConsents
from lk_adapters.sqlalchemy.repositories.houses import SqlAlchemyHouses
from lk_adapters.sqlalchemy.repositories.ledger import SqlAlchemyLedger
from lk_adapters.sqlalchemy.repositories.meters import SqlAlchemyMeters
from lk_adapters.sqlalchemy.repositories.payments import SqlAlchemyPayments
from lk_adapters.sqlalchemy.repositories.periods import SqlAlchemyPeriods
from lk_adapters.sqlalchemy.repositories.readings import SqlAlchemyReadings
from lk_adapters.sqlalchemy.repositories.registrations import SqlAlchemyRegistrations
from lk_adapters.sqlalchemy.repositories.secrets import SqlAlchemySecrets
from lk_adapters.sqlalchemy.repositories.services import SqlAlchemyServices

__all__ = [
    "SqlAlchemyAccounts",
    "SqlAlchemyConsents",
    "SqlAlchemyHouses",
    "SqlAlchemyLedger",
    "SqlAlchemyMeters",
    "SqlAlchemyPayments",
    "SqlAlchemyPeriods",
    "SqlAlchemyReadings",
    "SqlAlchemyRegistrations",
    "SqlAlchemySecrets",
    "SqlAlchemyServices",
]
