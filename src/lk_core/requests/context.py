"""What the requests use cases are given: storage, the clock, the photo store and
processor, and the configured categories, calendar, limits and executors."""

from __future__ import annotations

import attrs

from lk_core.kernel.runtime import Clock
from lk_core.kernel.transaction import UnitOfWorkFactory
from lk_core.requests.calendar import WorkingCalendar
from lk_core.requests.categories import RequestCatalogue
from lk_core.requests.executors import ConfiguredExecutors
from lk_core.requests.policy import RequestPolicy
from lk_core.requests.ports import PhotoProcessor, PhotoStore, RequestsUnitOfWork


@attrs.frozen
class RequestsContext:
    """Everything a requests use case needs; the calendar's zone is the company's."""

    uow_factory: UnitOfWorkFactory[RequestsUnitOfWork]
    clock: Clock
    photo_store: PhotoStore
    photo_processor: PhotoProcessor
    catalogue: RequestCatalogue = RequestCatalogue()
    calendar: WorkingCalendar = WorkingCalendar()
    policy: RequestPolicy = RequestPolicy()
    company_name: str = "Управляющая компания"
    executors: ConfiguredExecutors = ConfiguredExecutors()
