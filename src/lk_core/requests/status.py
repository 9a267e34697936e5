"""A request's status and the moves between statuses its lifecycle allows."""

from __future__ import annotations

import enum


class RequestStatus(enum.Enum):
    """новая → принята → в работе → выполнена, or отклонена on the way."""

    NEW = "new"
    ACCEPTED = "accepted"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    REJECTED = "rejected"

    @property
    def label_ru(self) -> str:
        return _LABELS[self]

    @property
    def is_open(self) -> bool:
        """Still being worked: it counts toward the queue and can fall overdue."""
        return self in (RequestStatus.NEW, RequestStatus.ACCEPTED, RequestStatus.IN_PROGRESS)

    def can_move_to(self, target: RequestStatus) -> bool:
        """Whether the dispatcher may move a request from this status to `target`."""
        return target in _MOVES[self]


_LABELS = {
    RequestStatus.NEW: "новая",
    RequestStatus.ACCEPTED: "принята",
    RequestStatus.IN_PROGRESS: "в работе",
    RequestStatus.DONE: "выполнена",
    RequestStatus.REJECTED: "отклонена",
}

# The dispatcher's moves. A done request goes back to new only by the resident's reopening
# (`ServiceRequest.reopen`); a rejected one is final.
_MOVES: dict[RequestStatus, frozenset[RequestStatus]] = {
    RequestStatus.NEW: frozenset({RequestStatus.ACCEPTED, RequestStatus.REJECTED}),
    RequestStatus.ACCEPTED: frozenset(
        {RequestStatus.IN_PROGRESS, RequestStatus.DONE, RequestStatus.REJECTED}
    ),
    RequestStatus.IN_PROGRESS: frozenset({RequestStatus.DONE, RequestStatus.REJECTED}),
    RequestStatus.DONE: frozenset(),
    RequestStatus.REJECTED: frozenset(),
}
