"""The dispatcher's side of requests: the queue, the roster of executors and assigning one
of them, moving a request through its lifecycle, rejecting it with a reason, and answering
in its thread. Status changes and comments reach the resident by the channels they opted
into."""

from __future__ import annotations

import datetime as dt

from lk_core.requests.context import RequestsContext
from lk_core.requests.errors import UnknownRequestNumber
from lk_core.requests.executors import ExecutorRoster
from lk_core.requests.journal import Actor, Comment, HistoryEntry
from lk_core.requests.notifications import notify_resident
from lk_core.requests.numbers import LARGEST_NUMBER
from lk_core.requests.ports import RequestsUnitOfWork
from lk_core.requests.queue import QueueFilter, QueuePage
from lk_core.requests.request import ServiceRequest
from lk_core.requests.resident import add_comment, change_request
from lk_core.requests.status import RequestStatus

MAX_PAGE = 200


def request_queue(
    ctx: RequestsContext, where: QueueFilter, offset: int = 0, limit: int = 50
) -> QueuePage:
    """One page of the requests matching the filter, emergencies and earliest deadlines
    first."""
    offset, limit = max(0, offset), min(max(1, limit), MAX_PAGE)
    with ctx.uow_factory(read_only=True) as uow:
        found = uow.service_requests.queue(where, offset, limit + 1)
    return QueuePage(tuple(found[:limit]), offset, len(found) > limit)


def executor_roster(ctx: RequestsContext) -> ExecutorRoster:
    """Whom the dispatcher may assign: the configured executors and the active staff."""
    with ctx.uow_factory(read_only=True) as uow:
        return _roster(ctx, uow)


def request_by_number(ctx: RequestsContext, number: int) -> ServiceRequest:
    """The request a resident names by its number, for staff, who see every request; a
    resident's own pages never look a request up by number (numbers are easy to guess)."""
    found = None
    if 1 <= number <= LARGEST_NUMBER:
        with ctx.uow_factory(read_only=True) as uow:
            found = uow.service_requests.by_number(number)
    if found is None:
        raise UnknownRequestNumber(number)
    return found


def assign_executor(
    ctx: RequestsContext, request_id: str, executor: str, by: str
) -> ServiceRequest:
    """Name who will do the work: someone on the roster as it stands in the transaction
    that assigns (`ExecutorNotOnRoster` otherwise, and nothing changes)."""
    actor = Actor.dispatcher(by)

    def assign(uow: RequestsUnitOfWork, request: ServiceRequest, at: dt.datetime) -> HistoryEntry:
        return request.assign(executor, at, actor, _roster(ctx, uow))

    return change_request(ctx, request_id, None, assign)


def _roster(ctx: RequestsContext, uow: RequestsUnitOfWork) -> ExecutorRoster:
    return ExecutorRoster.of(ctx.executors, uow.staff.all())


def change_status(
    ctx: RequestsContext, request_id: str, target: RequestStatus, comment: str, by: str
) -> ServiceRequest:
    """Move the request to `target` with a comment (for a rejection, the reason); the
    resident is told."""
    actor = Actor.dispatcher(by)

    def tell(uow: RequestsUnitOfWork, request: ServiceRequest, entry: HistoryEntry) -> None:
        news = f"статус изменён на «{request.status.label_ru}»"
        if request.status is RequestStatus.REJECTED:
            news = f"заявка отклонена. Причина: {request.reject_reason}"
        elif entry.text:
            news += f". Комментарий: {entry.text}"
        _notify(
            ctx, uow, request, news[:1].upper() + news[1:], f"{request.id}:{entry.seq}", entry.at
        )

    return change_request(
        ctx, request_id, None, lambda _, r, at: r.move_to(target, at, actor, comment), tell
    )


def reject_request(ctx: RequestsContext, request_id: str, reason: str, by: str) -> ServiceRequest:
    """Reject the request; the reason is required and the resident reads it."""
    return change_status(ctx, request_id, RequestStatus.REJECTED, reason, by)


def comment_as_dispatcher(ctx: RequestsContext, request_id: str, text: str, by: str) -> Comment:
    """The dispatcher answers in the request's thread; the resident is told."""

    def tell(uow: RequestsUnitOfWork, request: ServiceRequest, comment: Comment) -> None:
        news = f"Новый комментарий диспетчера: {comment.text}"
        _notify(ctx, uow, request, news, comment.id, comment.at)

    return add_comment(ctx, request_id, text, Actor.dispatcher(by), None, tell)


def _notify(
    ctx: RequestsContext,
    uow: RequestsUnitOfWork,
    request: ServiceRequest,
    news: str,
    event_key: str,
    at: dt.datetime,
) -> None:
    account = uow.accounts.get(request.account_key)
    notify_resident(
        uow.outbox,
        account,
        request,
        news,
        company=ctx.company_name,
        event_key=event_key,
        at=at,
    )
