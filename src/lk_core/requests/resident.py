"""The resident's side of requests: making one with photos, following it, commenting,
rating the result and reopening it. Requests belong to the account (the flat)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from zoneinfo import ZoneInfo

import attrs

from lk_core.accounts.contacts import Phone
from lk_core.kernel.errors import InvalidValue, NotFound
from lk_core.requests.context import RequestsContext
from lk_core.requests.errors import RequestChanged, TooManyRequestsToday
from lk_core.requests.journal import Actor, Comment, HistoryEntry
from lk_core.requests.photos import PhotoUpload, RequestPhoto
from lk_core.requests.ports import RequestsUnitOfWork
from lk_core.requests.request import Rating, ServiceRequest, required_text
from lk_core.requests.status import RequestStatus

_VISIT_WINDOW_LIMIT = 200


@attrs.frozen
class RequestForm:
    """What the resident typed into the form, before checking."""

    category: str
    description: str
    contact_phone: str
    visit_window: str = ""
    emergency: bool = False


@attrs.frozen
class RequestView:
    """A request with its history, comments and photos, and what the resident may do."""

    request: ServiceRequest
    category_title: str
    history: tuple[HistoryEntry, ...]
    comments: tuple[Comment, ...]
    photos: tuple[RequestPhoto, ...]
    can_rate: bool
    can_reopen: bool


def due_at(ctx: RequestsContext, category: str, emergency: bool, at: dt.datetime) -> dt.datetime:
    """When a request made at `at` falls overdue: by the clock for an emergency, by the
    working calendar for the rest."""
    if emergency:
        return at + ctx.catalogue.emergency_deadline
    return ctx.calendar.deadline(at, ctx.catalogue.get(category).sla)


def _start_of_local_day(ctx: RequestsContext, now: dt.datetime) -> dt.datetime:
    zone = ZoneInfo(ctx.calendar.time_zone)
    local = now.astimezone(zone)
    return dt.datetime.combine(local.date(), dt.time(0), zone).astimezone(dt.UTC)


def _check_daily_limit(ctx: RequestsContext, uow: RequestsUnitOfWork, account_key: str) -> None:
    since = _start_of_local_day(ctx, ctx.clock.now())
    made = uow.service_requests.count_created_since(account_key, since)
    if made >= ctx.policy.per_account_per_day:
        raise TooManyRequestsToday(ctx.policy.per_account_per_day)


def create_request(
    ctx: RequestsContext,
    account_key: str,
    form: RequestForm,
    uploads: Sequence[PhotoUpload] = (),
) -> ServiceRequest:
    """Check the form and the photos, keep the photos, and store the new request.

    Photos are re-encoded before the transaction (the slow part holds no lock) and removed
    again if the request is not stored after all.
    """
    category = ctx.catalogue.get(form.category)
    description = required_text(
        "description",
        form.description,
        "Опишите, что случилось",
        ctx.policy.description_max_length,
    )
    visit_window = form.visit_window.strip()
    if len(visit_window) > _VISIT_WINDOW_LIMIT:
        raise InvalidValue("visit_window", form.visit_window, "Не больше 200 знаков")
    if not form.contact_phone.strip():
        raise InvalidValue("contact_phone", "", "Укажите телефон для связи")
    phone = Phone.parse(form.contact_phone)
    if len(uploads) > ctx.policy.photos_per_request:
        raise InvalidValue(
            "photos",
            len(uploads),
            f"К заявке можно приложить не больше {ctx.policy.photos_per_request} фотографий",
        )
    with ctx.uow_factory(read_only=True) as uow:
        if uow.accounts.get(account_key) is None:
            raise NotFound("account", account_key)
        _check_daily_limit(ctx, uow, account_key)

    request_id = uuid.uuid4().hex
    processed = [ctx.photo_processor.process(upload) for upload in uploads]
    now = ctx.clock.now()
    photos: list[RequestPhoto] = []
    try:
        for position, photo in enumerate(processed, start=1):
            kept = RequestPhoto(
                id=uuid.uuid4().hex,
                request_id=request_id,
                position=position,
                width=photo.width,
                height=photo.height,
                size=len(photo.image),
                source_format=photo.source_format,
                added_at=now,
            )
            ctx.photo_store.put(kept.key(), photo.image)
            ctx.photo_store.put(kept.key(thumbnail=True), photo.thumbnail)
            photos.append(kept)
        with ctx.uow_factory() as uow:
            account = uow.accounts.get(account_key)
            if account is None:
                raise NotFound("account", account_key)
            _check_daily_limit(ctx, uow, account_key)
            request, created = ServiceRequest.create(
                id=request_id,
                number=uow.service_requests.next_number(),
                account_key=account_key,
                house_code=account.house_code,
                category=category.code,
                emergency=form.emergency,
                description=description,
                visit_window=visit_window,
                contact_phone=phone.e164,
                at=now,
                due_at=due_at(ctx, category.code, form.emergency, now),
            )
            uow.service_requests.add(request)
            uow.request_journal.record(created)
            for kept in photos:
                uow.request_photos.add(kept)
            uow.commit()
    except BaseException:
        for kept in photos:
            ctx.photo_store.delete(kept.key())
            ctx.photo_store.delete(kept.key(thumbnail=True))
        raise
    return request


def resident_requests(ctx: RequestsContext, account_key: str) -> list[ServiceRequest]:
    """The account's requests, newest first."""
    with ctx.uow_factory(read_only=True) as uow:
        return uow.service_requests.of_account(account_key)


def _owned(uow: RequestsUnitOfWork, request_id: str, account_key: str | None) -> ServiceRequest:
    """The request, if it exists and (when `account_key` is given) is that account's; a
    request of another account is not found, so its existence is not revealed."""
    request = uow.service_requests.get(request_id)
    if request is None or (account_key is not None and request.account_key != account_key):
        raise NotFound("request", request_id)
    return request


def request_view(
    ctx: RequestsContext, request_id: str, account_key: str | None = None
) -> RequestView:
    """A request with everything shown about it; `account_key` limits it to that account's."""
    now = ctx.clock.now()
    with ctx.uow_factory(read_only=True) as uow:
        request = _owned(uow, request_id, account_key)
        return RequestView(
            request=request,
            category_title=ctx.catalogue.title_of(request.category),
            history=tuple(uow.request_journal.history(request_id)),
            comments=tuple(uow.request_journal.comments(request_id)),
            photos=tuple(uow.request_photos.of_request(request_id)),
            can_rate=request.status is RequestStatus.DONE and request.rating is None,
            can_reopen=request.can_reopen(now, ctx.policy.reopen_within),
        )


def request_photo(
    ctx: RequestsContext,
    request_id: str,
    photo_id: str,
    *,
    thumbnail: bool = False,
    account_key: str | None = None,
) -> bytes:
    """A photo's JPEG bytes; `account_key` limits it to that account's requests."""
    with ctx.uow_factory(read_only=True) as uow:
        _owned(uow, request_id, account_key)
        photo = next(
            (p for p in uow.request_photos.of_request(request_id) if p.id == photo_id), None
        )
    if photo is None:
        raise NotFound("photo", photo_id)
    data = ctx.photo_store.get(photo.key(thumbnail=thumbnail))
    if data is None:
        raise NotFound("photo", photo_id)
    return data


def change_request(
    ctx: RequestsContext,
    request_id: str,
    account_key: str | None,
    change: Callable[[RequestsUnitOfWork, ServiceRequest, dt.datetime], HistoryEntry],
    after: Callable[[RequestsUnitOfWork, ServiceRequest, HistoryEntry], None] | None = None,
) -> ServiceRequest:
    """Apply one change in one transaction: it is recorded in the history and stored only
    over the version read (`RequestChanged` if someone else changed it meanwhile)."""
    now = ctx.clock.now()
    with ctx.uow_factory() as uow:
        request = _owned(uow, request_id, account_key)
        read_version = request.version
        entry = change(uow, request, now)
        if not uow.service_requests.save(request, read_version):
            raise RequestChanged()
        uow.request_journal.record(entry)
        if after is not None:
            after(uow, request, entry)
        uow.commit()
    return request


def add_comment(
    ctx: RequestsContext,
    request_id: str,
    text: str,
    author: Actor,
    account_key: str | None,
    after: Callable[[RequestsUnitOfWork, ServiceRequest, Comment], None] | None = None,
) -> Comment:
    """Append a comment to the thread, checked for length; the request must exist (and be
    the account's, when `account_key` is given)."""
    cleaned = required_text("text", text, "Напишите комментарий", ctx.policy.comment_max_length)
    with ctx.uow_factory() as uow:
        request = _owned(uow, request_id, account_key)
        comment = Comment(uuid.uuid4().hex, request_id, ctx.clock.now(), author, cleaned)
        uow.request_journal.add_comment(comment)
        if after is not None:
            after(uow, request, comment)
        uow.commit()
    return comment


def comment_as_resident(
    ctx: RequestsContext, account_key: str, request_id: str, text: str
) -> Comment:
    """The resident writes to the dispatcher in the request's thread."""
    return add_comment(ctx, request_id, text, Actor.resident(), account_key)


def rate_request(
    ctx: RequestsContext, account_key: str, request_id: str, score: int, comment: str = ""
) -> ServiceRequest:
    """The resident rates a done request, 1 to 5, once per completion."""
    rating = Rating(score, comment.strip())
    return change_request(ctx, request_id, account_key, lambda _, r, at: r.rate(rating, at))


def reopen_request(
    ctx: RequestsContext, account_key: str, request_id: str, reason: str
) -> ServiceRequest:
    """The resident reopens a done request within the configured days; it is due anew."""

    def reopen(_: RequestsUnitOfWork, request: ServiceRequest, at: dt.datetime) -> HistoryEntry:
        due = due_at(ctx, request.category, request.emergency, at)
        return request.reopen(reason, at, ctx.policy.reopen_within, due)

    return change_request(ctx, request_id, account_key, reopen)
