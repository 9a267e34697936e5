"""The dispatcher's queue: which requests to show, and one page of them."""

from __future__ import annotations

import datetime as dt

import attrs

from lk_core.requests.request import ServiceRequest
from lk_core.requests.status import RequestStatus


@attrs.frozen
class QueueFilter:
    """Requests of a house, in some statuses, of a category, emergencies only or not, and
    open past their deadline at `overdue_at`; None leaves a criterion out."""

    house_code: str | None = None
    statuses: frozenset[RequestStatus] | None = None
    category: str | None = None
    emergency: bool | None = None
    overdue_at: dt.datetime | None = None

    def matches(self, request: ServiceRequest) -> bool:
        """Whether a request belongs in the queue so filtered (what storage must agree with)."""
        return (
            (self.house_code is None or request.house_code == self.house_code)
            and (self.statuses is None or request.status in self.statuses)
            and (self.category is None or request.category == self.category)
            and (self.emergency is None or request.emergency == self.emergency)
            and (self.overdue_at is None or request.is_overdue(self.overdue_at))
        )


def queue_order(request: ServiceRequest) -> tuple[bool, dt.datetime, str]:
    """Emergencies first, then the earliest deadline: what the dispatcher should do next."""
    return (not request.emergency, request.due_at, request.id)


@attrs.frozen
class QueuePage:
    """One page of the queue, and whether more follow."""

    requests: tuple[ServiceRequest, ...]
    offset: int
    has_more: bool
