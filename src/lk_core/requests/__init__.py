"""Service requests («Заявки», F30): a resident reports a problem with their flat
(category, emergency flag, description, photos, visit window, contact phone), follows its
status and history, talks with the dispatcher in its thread, rates the result and may
reopen it; the dispatcher works the queue (filters, SLA deadlines on the working
calendar), assigns an executor from the roster (configured names and active staff) and
moves the request through its lifecycle.

Embedding: give the use cases a `RequestsContext` whose unit-of-work factory makes
`RequestsUnitOfWork`s — an account lookup, the request, journal and photo repositories,
the outbox and a list of staff members — plus a `PhotoStore` and a `PhotoProcessor`
(`docs/embedding.md`).

    ctx = RequestsContext(my_factory, my_clock, my_photo_store, my_processor)
    request = create_request(ctx, "100234", RequestForm("plumbing", "Течёт кран", "+79123456789"))
    change_status(ctx, request.id, RequestStatus.ACCEPTED, "", by="Иванова")

Everything in `__all__` is public: it changes only with a note in the changelog of the
release and, when incompatible, a new major version. Other modules are internal.
"""

from __future__ import annotations

from lk_core.requests.calendar import RUSSIAN_PUBLIC_HOLIDAYS, Sla, WorkingCalendar
from lk_core.requests.categories import Category, RequestCatalogue
from lk_core.requests.context import RequestsContext
from lk_core.requests.dispatcher import (
    assign_executor,
    change_status,
    comment_as_dispatcher,
    executor_roster,
    reject_request,
    request_by_number,
    request_queue,
)
from lk_core.requests.errors import (
    ExecutorNotOnRoster,
    PhotoRejected,
    ReopenWindowClosed,
    RequestChanged,
    RequestClosed,
    StatusChangeNotAllowed,
    TooManyRequestsToday,
    UnknownRequestNumber,
)
from lk_core.requests.executors import (
    ConfiguredExecutors,
    Executor,
    ExecutorRoster,
    ExecutorSource,
    StaffMemberNamed,
)
from lk_core.requests.journal import Actor, ActorKind, ChangeKind, Comment, HistoryEntry
from lk_core.requests.numbers import parse_request_number, request_number
from lk_core.requests.photos import (
    PhotoUpload,
    ProcessedPhoto,
    Readable,
    RequestPhoto,
    photo_key,
)
from lk_core.requests.policy import RequestPolicy
from lk_core.requests.ports import (
    PhotoProcessor,
    PhotoStore,
    RequestJournal,
    RequestPhotoRepository,
    RequestRepository,
    RequestsUnitOfWork,
    StaffList,
)
from lk_core.requests.queue import QueueFilter, QueuePage, queue_order
from lk_core.requests.request import Rating, ServiceRequest
from lk_core.requests.resident import (
    RequestForm,
    RequestView,
    comment_as_resident,
    create_request,
    due_at,
    rate_request,
    reopen_request,
    request_photo,
    request_view,
    resident_requests,
)
from lk_core.requests.status import RequestStatus

__all__ = [
    "RUSSIAN_PUBLIC_HOLIDAYS",
    "Actor",
    "ActorKind",
    "Category",
    "ChangeKind",
    "Comment",
    "ConfiguredExecutors",
    "Executor",
    "ExecutorNotOnRoster",
    "ExecutorRoster",
    "ExecutorSource",
    "HistoryEntry",
    "PhotoProcessor",
    "PhotoRejected",
    "PhotoStore",
    "PhotoUpload",
    "ProcessedPhoto",
    "QueueFilter",
    "QueuePage",
    "Rating",
    "Readable",
    "ReopenWindowClosed",
    "RequestCatalogue",
    "RequestChanged",
    "RequestClosed",
    "RequestForm",
    "RequestJournal",
    "RequestPhoto",
    "RequestPhotoRepository",
    "RequestPolicy",
    "RequestRepository",
    "RequestStatus",
    "RequestView",
    "RequestsContext",
    "RequestsUnitOfWork",
    "ServiceRequest",
    "Sla",
    "StaffList",
    "StaffMemberNamed",
    "StatusChangeNotAllowed",
    "TooManyRequestsToday",
    "UnknownRequestNumber",
    "WorkingCalendar",
    "assign_executor",
    "change_status",
    "comment_as_dispatcher",
    "comment_as_resident",
    "create_request",
    "due_at",
    "executor_roster",
    "parse_request_number",
    "photo_key",
    "queue_order",
    "rate_request",
    "reject_request",
    "reopen_request",
    "request_by_number",
    "request_number",
    "request_photo",
    "request_queue",
    "request_view",
    "resident_requests",
]
