"""A service request (заявка) and its lifecycle: every change goes through a method that
checks the move and returns the history entry recording it."""

from __future__ import annotations

import datetime as dt
from typing import Self

import attrs

from lk_core.kernel.errors import InvalidValue
from lk_core.requests.errors import (
    ReopenWindowClosed,
    RequestClosed,
    StatusChangeNotAllowed,
)
from lk_core.requests.executors import ExecutorRoster
from lk_core.requests.journal import Actor, ChangeKind, HistoryEntry
from lk_core.requests.status import RequestStatus

_TEXT_LIMIT = 2000


def required_text(field: str, text: str, message_ru: str, limit: int = _TEXT_LIMIT) -> str:
    """Text a resident or dispatcher must write: stripped, not empty, not too long."""
    cleaned = text.strip()
    if not cleaned:
        raise InvalidValue(field, text, message_ru)
    if len(cleaned) > limit:
        raise InvalidValue(field, text, f"Не больше {limit} знаков")
    return cleaned


@attrs.frozen
class Rating:
    """The resident's mark of a done request: 1 to 5, and what they add."""

    score: int
    comment: str = ""

    def __attrs_post_init__(self) -> None:
        if self.score not in range(1, 6):
            raise InvalidValue("score", self.score, "Поставьте оценку от 1 до 5")
        if len(self.comment) > _TEXT_LIMIT:
            raise InvalidValue("comment", self.comment, f"Не больше {_TEXT_LIMIT} знаков")


@attrs.define
class ServiceRequest:
    """A resident's request for one flat (account), as the dispatcher works it.

    `number` is how people name it (ADR 0075): storage gives it in order at creation and
    no two requests share one. `version` counts the request's changes: it equals the `seq`
    of its newest history entry, and storage saves a change only over the version it was
    read at.
    """

    id: str
    number: int = attrs.field(validator=attrs.validators.ge(1))
    account_key: str
    house_code: str
    category: str
    emergency: bool
    description: str
    visit_window: str
    contact_phone: str
    created_at: dt.datetime
    due_at: dt.datetime
    status: RequestStatus = RequestStatus.NEW
    executor: str = ""
    reject_reason: str = ""
    completed_at: dt.datetime | None = None
    rating: Rating | None = None
    updated_at: dt.datetime | None = None
    version: int = 1

    @classmethod
    def create(
        cls,
        *,
        id: str,
        number: int,
        account_key: str,
        house_code: str,
        category: str,
        emergency: bool,
        description: str,
        visit_window: str,
        contact_phone: str,
        at: dt.datetime,
        due_at: dt.datetime,
    ) -> tuple[Self, HistoryEntry]:
        """A new request and the first entry of its history."""
        made = cls(
            id=id,
            number=number,
            account_key=account_key,
            house_code=house_code,
            category=category,
            emergency=emergency,
            description=description,
            visit_window=visit_window,
            contact_phone=contact_phone,
            created_at=at,
            due_at=due_at,
            updated_at=at,
        )
        return made, made._entry(at, Actor.resident(), ChangeKind.CREATED, "", bump=False)

    def is_overdue(self, now: dt.datetime) -> bool:
        """Still open after its deadline."""
        return self.status.is_open and now > self.due_at

    def move_to(
        self, target: RequestStatus, at: dt.datetime, by: Actor, comment: str = ""
    ) -> HistoryEntry:
        """The dispatcher's move to `target`; rejecting needs the reason as `comment`."""
        if not self.status.can_move_to(target):
            raise StatusChangeNotAllowed(self.status, target)
        if len(comment.strip()) > _TEXT_LIMIT:
            raise InvalidValue("comment", comment, f"Не больше {_TEXT_LIMIT} знаков")
        if target is RequestStatus.REJECTED:
            reason = required_text("reason", comment, "Укажите причину отказа")
            self.reject_reason = reason
        self.status = target
        if target is RequestStatus.DONE:
            self.completed_at = at
        return self._entry(at, by, ChangeKind.STATUS, comment.strip())

    def assign(
        self, executor: str, at: dt.datetime, by: Actor, roster: ExecutorRoster
    ) -> HistoryEntry:
        """Name who will do the work, someone on the roster; an open request only. An
        executor assigned before the roster existed stays as it was written."""
        if not self.status.is_open:
            raise RequestClosed("Исполнителя назначают только незакрытой заявке")
        self.executor = roster.checked(executor)
        return self._entry(at, by, ChangeKind.ASSIGNED, self.executor)

    def rate(self, rating: Rating, at: dt.datetime) -> HistoryEntry:
        """The resident's mark of the done work, once per completion."""
        if self.status is not RequestStatus.DONE:
            raise RequestClosed("Оценить можно только выполненную заявку")
        if self.rating is not None:
            raise RequestClosed("Эта заявка уже оценена")
        self.rating = rating
        return self._entry(at, Actor.resident(), ChangeKind.RATED, _rating_text(rating))

    def can_reopen(self, at: dt.datetime, within: dt.timedelta) -> bool:
        """Done, and completed no longer than `within` ago."""
        return (
            self.status is RequestStatus.DONE
            and self.completed_at is not None
            and at - self.completed_at <= within
        )

    def reopen(
        self, reason: str, at: dt.datetime, within: dt.timedelta, due_at: dt.datetime
    ) -> HistoryEntry:
        """The resident says the work is not done: the request is new again, due anew."""
        if self.status is not RequestStatus.DONE:
            raise StatusChangeNotAllowed(self.status, RequestStatus.NEW)
        if not self.can_reopen(at, within):
            raise ReopenWindowClosed(within.days)
        text = required_text("reason", reason, "Напишите, что осталось не сделано")
        self.status = RequestStatus.NEW
        self.completed_at = None
        self.rating = None
        self.due_at = due_at
        return self._entry(at, Actor.resident(), ChangeKind.REOPENED, text)

    def _entry(
        self, at: dt.datetime, by: Actor, kind: ChangeKind, text: str, *, bump: bool = True
    ) -> HistoryEntry:
        if bump:
            self.version += 1
            self.updated_at = at
        return HistoryEntry(self.id, self.version, at, by, kind, self.status, text)


def _rating_text(rating: Rating) -> str:
    return f"{rating.score} из 5" + (f": {rating.comment}" if rating.comment else "")
