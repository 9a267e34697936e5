"""Service requests in `service_requests`, their history and comments in `request_history`
and `request_comments`, their photo records in `request_photos`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, Row, Select, func, insert, select, text, update

from lk_adapters.sqlalchemy.tables import (
    OPEN_REQUEST_SQL,
    request_comments,
    request_history,
    request_photos,
    service_request_numbers,
)
from lk_adapters.sqlalchemy.tables import service_requests as table
from lk_core.requests.journal import Actor, ActorKind, ChangeKind, Comment, HistoryEntry
from lk_core.requests.photos import RequestPhoto
from lk_core.requests.queue import QueueFilter
from lk_core.requests.request import Rating, ServiceRequest
from lk_core.requests.status import RequestStatus

_OPEN_SET = frozenset(s for s in RequestStatus if s.is_open)


def _values(request: ServiceRequest) -> dict[str, Any]:
    return {
        "account_key": request.account_key,
        "house_code": request.house_code,
        "category": request.category,
        "emergency": request.emergency,
        "description": request.description,
        "visit_window": request.visit_window,
        "contact_phone": request.contact_phone,
        "created_at": request.created_at,
        "due_at": request.due_at,
        "status": request.status.value,
        "executor": request.executor,
        "reject_reason": request.reject_reason,
        "completed_at": request.completed_at,
        "rating": request.rating.score if request.rating else None,
        "rating_comment": request.rating.comment if request.rating else "",
        "updated_at": request.updated_at,
        "version": request.version,
    }


def _request(row: Row[Any]) -> ServiceRequest:
    return ServiceRequest(
        id=row.id,
        number=row.number,
        account_key=row.account_key,
        house_code=row.house_code,
        category=row.category,
        emergency=bool(row.emergency),
        description=row.description,
        visit_window=row.visit_window,
        contact_phone=row.contact_phone,
        created_at=row.created_at,
        due_at=row.due_at,
        status=RequestStatus(row.status),
        executor=row.executor,
        reject_reason=row.reject_reason,
        completed_at=row.completed_at,
        rating=Rating(row.rating, row.rating_comment) if row.rating is not None else None,
        updated_at=row.updated_at,
        version=row.version,
    )


class SqlAlchemyServiceRequests:
    """Requests by id, by number, by account, and as the dispatcher's queue."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def next_number(self) -> int:
        if self._connection.dialect.name == "postgresql":
            # A sequence hands out numbers to transactions at once without waiting; one
            # rolled back leaves a gap, which nobody minds (ADR 0075).
            query = select(service_request_numbers.next_value())
        else:
            # SQLite's writing unit of work holds the database's write lock from its start
            # (BEGIN IMMEDIATE), so no other writer can take the same number before the
            # insert in this transaction; the unique index would refuse it anyway.
            query = select(func.coalesce(func.max(table.c.number), 0) + 1)
        return int(self._connection.execute(query).scalar_one())

    def add(self, request: ServiceRequest) -> None:
        self._connection.execute(
            insert(table).values(id=request.id, number=request.number, **_values(request))
        )

    def get(self, request_id: str) -> ServiceRequest | None:
        row = self._connection.execute(select(table).where(table.c.id == request_id)).first()
        return _request(row) if row is not None else None

    def by_number(self, number: int) -> ServiceRequest | None:
        row = self._connection.execute(select(table).where(table.c.number == number)).first()
        return _request(row) if row is not None else None

    def save(self, request: ServiceRequest, read_version: int) -> bool:
        statement = (
            update(table)
            .where(table.c.id == request.id, table.c.version == read_version)
            .values(**_values(request))
        )
        return self._connection.execute(statement).rowcount == 1

    def of_account(self, account_key: str) -> list[ServiceRequest]:
        query = (
            select(table)
            .where(table.c.account_key == account_key)
            .order_by(table.c.created_at.desc(), table.c.id.desc())
        )
        return [_request(row) for row in self._connection.execute(query)]

    def count_created_since(self, account_key: str, since: dt.datetime) -> int:
        if self._connection.dialect.name == "postgresql":
            # Creations for one account take turns until commit (SQLite's writing unit of
            # work holds the database's write lock already): a count read by two at once
            # would let both pass the daily limit.
            self._connection.execute(
                text("SELECT pg_advisory_xact_lock(hashtext('service_requests:' || :key))"),
                {"key": account_key},
            )
        query = select(func.count()).where(
            table.c.account_key == account_key, table.c.created_at >= since
        )
        return int(self._connection.execute(query).scalar_one())

    def queue(self, where: QueueFilter, offset: int, limit: int) -> list[ServiceRequest]:
        query = _filtered(select(table), where).order_by(
            table.c.emergency.desc(), table.c.due_at, table.c.id
        )
        rows = self._connection.execute(query.offset(offset).limit(limit))
        return [_request(row) for row in rows]


def _filtered(query: Select[Any], where: QueueFilter) -> Select[Any]:
    if where.house_code is not None:
        query = query.where(table.c.house_code == where.house_code)
    if where.statuses == _OPEN_SET and where.overdue_at is None:
        # The open-queue indexes' own condition, as literal SQL, so the database uses them.
        query = query.where(text(OPEN_REQUEST_SQL))
    elif where.statuses is not None:
        query = query.where(table.c.status.in_(sorted(s.value for s in where.statuses)))
    if where.category is not None:
        query = query.where(table.c.category == where.category)
    if where.emergency is not None:
        query = query.where(table.c.emergency == where.emergency)
    if where.overdue_at is not None:
        query = query.where(text(OPEN_REQUEST_SQL), table.c.due_at < where.overdue_at)
    return query


class SqlAlchemyRequestJournal:
    """History entries and comments, each request's oldest first."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def record(self, entry: HistoryEntry) -> None:
        self._connection.execute(
            insert(request_history).values(
                request_id=entry.request_id,
                seq=entry.seq,
                at=entry.at,
                actor_kind=entry.actor.kind.value,
                actor_name=entry.actor.name,
                kind=entry.kind.value,
                status=entry.status.value,
                text=entry.text,
            )
        )

    def history(self, request_id: str) -> list[HistoryEntry]:
        query = (
            select(request_history)
            .where(request_history.c.request_id == request_id)
            .order_by(request_history.c.seq)
        )
        return [
            HistoryEntry(
                row.request_id,
                row.seq,
                row.at,
                Actor(ActorKind(row.actor_kind), row.actor_name),
                ChangeKind(row.kind),
                RequestStatus(row.status),
                row.text,
            )
            for row in self._connection.execute(query)
        ]

    def add_comment(self, comment: Comment) -> None:
        self._connection.execute(
            insert(request_comments).values(
                id=comment.id,
                request_id=comment.request_id,
                at=comment.at,
                author_kind=comment.author.kind.value,
                author_name=comment.author.name,
                text=comment.text,
            )
        )

    def comments(self, request_id: str) -> list[Comment]:
        query = (
            select(request_comments)
            .where(request_comments.c.request_id == request_id)
            .order_by(request_comments.c.at, request_comments.c.id)
        )
        return [
            Comment(
                row.id,
                row.request_id,
                row.at,
                Actor(ActorKind(row.author_kind), row.author_name),
                row.text,
            )
            for row in self._connection.execute(query)
        ]


class SqlAlchemyRequestPhotos:
    """Photo records, each request's in the order attached."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add(self, photo: RequestPhoto) -> None:
        self._connection.execute(
            insert(request_photos).values(
                id=photo.id,
                request_id=photo.request_id,
                position=photo.position,
                width=photo.width,
                height=photo.height,
                size=photo.size,
                source_format=photo.source_format,
                added_at=photo.added_at,
            )
        )

    def of_request(self, request_id: str) -> list[RequestPhoto]:
        query = (
            select(request_photos)
            .where(request_photos.c.request_id == request_id)
            .order_by(request_photos.c.position)
        )
        return [
            RequestPhoto(
                row.id,
                row.request_id,
                row.position,
                row.width,
                row.height,
                row.size,
                row.source_format,
                row.added_at,
            )
            for row in self._connection.execute(query)
        ]
