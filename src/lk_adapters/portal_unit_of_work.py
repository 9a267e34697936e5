"""Every capability's unit of work at once: what each persistence adapter provides.

The core has no such Protocol: each capability declares only what it uses. The adapters'
units of work hold every repository, so they satisfy all of those: the body of
`conforms` is where mypy proves it, for both adapters, every time the code is checked.
"""

from __future__ import annotations

from typing import Protocol

from lk_adapters.memory import InMemoryUnitOfWorkFactory
from lk_adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWorkFactory
from lk_core.accounts.ports import AccountRepository, HouseRepository
from lk_core.announcements.ports import AnnouncementsUnitOfWork
from lk_core.billing_import.ports import BillingImportUnitOfWork
from lk_core.home.ports import HomeUnitOfWork, MetersRead
from lk_core.kernel.transaction import UnitOfWorkFactory
from lk_core.ledger.ports import ServiceRepository
from lk_core.messaging.ports import MessagingUnitOfWork
from lk_core.operator.ports import OperatorUnitOfWork
from lk_core.personal_data.ports import PersonalDataUnitOfWork
from lk_core.readings.ports import MeterStore, ReadingStore, ReadingsUnitOfWork
from lk_core.receipts.ports import ReceiptsUnitOfWork
from lk_core.requests.ports import RequestsUnitOfWork
from lk_core.service_api.account_state import CallCentreUnitOfWork
from lk_core.service_api.ports import ServiceApiUnitOfWork


class PortalMeters(MeterStore, MetersRead, Protocol):
    """Every meter, and the main page's count of those read (ADR 0067)."""


class PortalUnitOfWork(
    AnnouncementsUnitOfWork,
    HomeUnitOfWork,
    OperatorUnitOfWork,
    PersonalDataUnitOfWork,
    ReceiptsUnitOfWork,
    BillingImportUnitOfWork,
    ReadingsUnitOfWork,
    MessagingUnitOfWork,
    ServiceApiUnitOfWork,
    CallCentreUnitOfWork,
    RequestsUnitOfWork,
    Protocol,
):
    """One transaction over every repository of every capability."""

    # Where capabilities declare narrower views of one repository, the whole one.
    @property
    def accounts(self) -> AccountRepository: ...

    @property
    def houses(self) -> HouseRepository: ...

    @property
    def services(self) -> ServiceRepository: ...

    @property
    def meters(self) -> PortalMeters: ...

    @property
    def readings(self) -> ReadingStore: ...


PortalUnitOfWorkFactory = UnitOfWorkFactory[PortalUnitOfWork]


def conforms(
    factory: SqlAlchemyUnitOfWorkFactory | InMemoryUnitOfWorkFactory,
) -> PortalUnitOfWorkFactory:
    """The factory, typed as what every capability may be given."""
    return factory
