"""Service requests («Заявки», F30): the categories, the account's requests, a new one
with its photos, a request with its history and thread, commenting, rating, reopening and
the photos, by the requests page's own use cases (one set of rules).

A request or photo of an account the holder may not see is not found (404), as on the
pages. A new request is one `multipart/form-data` call: its fields and up to the allowed
number of photos, checked and re-encoded by the same processor as the form's.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Annotated, Literal

import msgspec
from litestar import Controller, Response, get, post
from litestar.concurrency import sync_to_thread
from litestar.datastructures import FormMultiDict, ResponseHeader, UploadFile
from litestar.middleware.base import DefineMiddleware
from litestar.openapi.spec import OpenAPIMediaType, OpenAPIType, Operation, RequestBody, Schema
from litestar.params import JSONBody, PathParameter, QueryParameter

from lk_core.requests import (
    Comment,
    HistoryEntry,
    PhotoUpload,
    RequestForm,
    RequestPhoto,
    RequestView,
    ServiceRequest,
    comment_as_resident,
    create_request,
    rate_request,
    reopen_request,
    request_number,
    request_photo,
    request_view,
    resident_requests,
)
from lk_web.api.auth import Holder, Owned
from lk_web.api.cursor import Cursor, CursorPage, Limit, page_of
from lk_web.api.etag import bytes_read, json_read
from lk_web.api.idempotent import (
    IDEMPOTENT_REFUSALS,
    MULTIPART,
    IdempotencyKey,
    form_fingerprint,
    resident_once,
)
from lk_web.api.openapi import API_PATH, BEARER
from lk_web.api.problems import ApiProblem, problem_responses
from lk_web.client import AnyRequest
from lk_web.controllers.service_requests import MAX_BODY_BYTES, MAX_PHOTO_BYTES
from lk_web.dependencies import Portal, Services
from lk_web.reads import read
from lk_web.upload_guard import UploadGuard

RequestId = Annotated[str, PathParameter(max_length=64, description="Заявка (`id`)")]
PhotoId = Annotated[str, PathParameter(max_length=64, description="Фотография (`id`)")]
PhotoSize = Annotated[
    Literal["full", "thumb"],
    QueryParameter(description="`thumb` — миниатюра, `full` (по умолчанию) — фотография"),
]
Text = Annotated[str, msgspec.Meta(max_length=4000)]


class CategoryOut(msgspec.Struct, frozen=True):
    """Категория заявки (из настроек управляющей компании)."""

    code: str
    title: str


class RatingOut(msgspec.Struct, frozen=True):
    """Оценка выполненной заявки жителем: от 1 до 5 и комментарий."""

    score: int
    comment: str


RequestNumberText = Annotated[
    str,
    msgspec.Meta(
        pattern=r"^[0-9]+$",
        description=(
            "Номер заявки для людей: цифры, по порядку подачи заявок (ADR 0075). "
            "Заявку в API находят по `id`, не по номеру"
        ),
        examples=["1042"],
    ),
]


class RequestOut(msgspec.Struct, frozen=True):
    """Заявка: что случилось, её статус, срок и оценка. `number` — номер для людей."""

    id: str
    number: RequestNumberText
    category: str
    category_title: str
    emergency: bool
    description: str
    visit_window: str
    contact_phone: str
    status: str
    status_name: str
    executor: str
    reject_reason: str
    created_at: dt.datetime
    due_at: dt.datetime
    updated_at: dt.datetime | None
    completed_at: dt.datetime | None
    rating: RatingOut | None


class HistoryOut(msgspec.Struct, frozen=True):
    """Изменение заявки: кто (`resident` или `dispatcher` с именем), что и статус после."""

    seq: int
    at: dt.datetime
    actor: str
    actor_name: str
    kind: str
    kind_name: str
    status: str
    status_name: str
    text: str


class CommentOut(msgspec.Struct, frozen=True):
    """Сообщение в переписке по заявке между жителем и диспетчером."""

    id: str
    at: dt.datetime
    author: str
    author_name: str
    text: str


class PhotoOut(msgspec.Struct, frozen=True):
    """Фотография заявки: размеры и адреса фотографии и миниатюры (JPEG, с токеном)."""

    id: str
    position: int
    width: int
    height: int
    size: int
    added_at: dt.datetime
    url: str
    thumbnail_url: str


class RequestDetail(msgspec.Struct, frozen=True):
    """Заявка с историей, перепиской и фотографиями, и что житель может с ней сделать."""

    request: RequestOut
    history: list[HistoryOut]
    comments: list[CommentOut]
    photos: list[PhotoOut]
    can_rate: bool
    can_reopen: bool


@dataclasses.dataclass
class RequestIn:
    """A new request as the multipart body says it (read by the handler, see `NewRequest`)."""

    category: str
    description: str
    contact_phone: str
    visit_window: str = ""
    emergency: bool = False
    photos: list[UploadFile] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class NewRequest(Operation):
    """The operation's request body, `multipart/form-data`. The handler reads the form
    itself, so that the upload guard and the handler's own checks see it first, and so that
    a retry is told apart by what the form says rather than by its boundary."""

    def __post_init__(self) -> None:
        fields = {
            "category": Schema(
                type=OpenAPIType.STRING, max_length=64,
                description="Категория: `code` из `GET /request-categories`",
            ),
            "description": Schema(
                type=OpenAPIType.STRING, max_length=4000, description="Что случилось"
            ),
            "contact_phone": Schema(
                type=OpenAPIType.STRING, max_length=32, description="Телефон для связи"
            ),
            "visit_window": Schema(
                type=OpenAPIType.STRING, max_length=200, description="Удобное время визита"
            ),
            "emergency": Schema(
                type=OpenAPIType.BOOLEAN, description="Аварийная заявка (срок — по часам)"
            ),
            "photos": Schema(
                type=OpenAPIType.ARRAY,
                items=Schema(type=OpenAPIType.STRING, format="binary"),  # type: ignore[arg-type]
                description="Фотографии: JPEG, PNG или HEIC, каждая до 10 МБ",
            ),
        }  # fmt: skip
        self.request_body = RequestBody(
            content={
                "multipart/form-data": OpenAPIMediaType(
                    schema=Schema(
                        type=OpenAPIType.OBJECT,
                        properties=fields,  # type: ignore[arg-type]
                        required=["category", "description", "contact_phone"],
                    )
                )
            },
            description="Новая заявка и её фотографии",
            required=True,
        )


def fingerprint_of(data: RequestIn) -> bytes:
    """What a new request says, for its `Idempotency-Key` (reads the photos: in a thread)."""
    fields = [
        ("category", data.category), ("description", data.description),
        ("contact_phone", data.contact_phone), ("visit_window", data.visit_window),
        ("emergency", "true" if data.emergency else "false"),
    ]  # fmt: skip
    return form_fingerprint(fields, data.photos)


_TRUE = {"true", "on", "1"}
_FALSE = {"false", "off", "0", ""}


async def request_in(request: AnyRequest) -> RequestIn:
    """The multipart form of a new request; its texts are checked by the use case."""
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise ApiProblem(
            415, "unsupported_media_type", "Тело запроса должно быть в формате multipart/form-data"
        )
    form = await request.form()
    try:
        return _read_form(form)
    except ApiProblem:
        for value in form.values():
            if isinstance(value, UploadFile):
                value.file.close()
        raise


def _read_form(form: FormMultiDict) -> RequestIn:
    texts: dict[str, str] = {}
    for name in ("category", "description", "contact_phone", "visit_window", "emergency"):
        value = form.get(name, "")
        if not isinstance(value, str):
            raise ApiProblem.invalid_field(name, f"Поле «{name}» должно быть текстом")
        texts[name] = value
    emergency = texts["emergency"].strip().lower()
    if emergency not in _TRUE | _FALSE:
        raise ApiProblem.invalid_field("emergency", "Поле «emergency»: true или false")
    photos = form.getall("photos") if "photos" in form else []
    files = [photo for photo in photos if isinstance(photo, UploadFile)]
    if len(files) != len(photos):
        raise ApiProblem.invalid_field("photos", "Поле «photos»: ожидаются файлы")
    return RequestIn(
        texts["category"], texts["description"], texts["contact_phone"],
        texts["visit_window"], emergency in _TRUE, files,
    )  # fmt: skip


class CommentIn(msgspec.Struct, frozen=True):
    """Комментарий диспетчеру в переписке по заявке."""

    text: Text


class RatingIn(msgspec.Struct, frozen=True):
    """Оценка выполненной заявки: `score` от 1 до 5 и, по желанию, комментарий."""

    score: int
    comment: Text = ""


class ReopenIn(msgspec.Struct, frozen=True):
    """Возобновление выполненной заявки: что осталось не сделано."""

    reason: Text


def request_out(portal: Services, request: ServiceRequest) -> RequestOut:
    rating = request.rating
    return RequestOut(
        id=request.id,
        number=request_number(request),
        category=request.category,
        category_title=portal.requests.catalogue.title_of(request.category),
        emergency=request.emergency,
        description=request.description,
        visit_window=request.visit_window,
        contact_phone=request.contact_phone,
        status=request.status.value,
        status_name=request.status.label_ru,
        executor=request.executor,
        reject_reason=request.reject_reason,
        created_at=request.created_at,
        due_at=request.due_at,
        updated_at=request.updated_at,
        completed_at=request.completed_at,
        rating=RatingOut(rating.score, rating.comment) if rating is not None else None,
    )


def history_out(entry: HistoryEntry) -> HistoryOut:
    return HistoryOut(
        entry.seq, entry.at, entry.actor.kind.value, entry.actor.name, entry.kind.value,
        entry.kind.label_ru, entry.status.value, entry.status.label_ru, entry.text,
    )  # fmt: skip


def comment_out(comment: Comment) -> CommentOut:
    author = comment.author
    return CommentOut(comment.id, comment.at, author.kind.value, author.name, comment.text)


def photo_out(account_key: str, photo: RequestPhoto) -> PhotoOut:
    url = f"{API_PATH}/accounts/{account_key}/requests/{photo.request_id}/photos/{photo.id}"
    return PhotoOut(
        photo.id, photo.position, photo.width, photo.height, photo.size, photo.added_at, url,
        url + "?size=thumb",
    )  # fmt: skip


def detail_of(portal: Services, view: RequestView) -> RequestDetail:
    account_key = view.request.account_key
    return RequestDetail(
        request=request_out(portal, view.request),
        history=[history_out(entry) for entry in view.history],
        comments=[comment_out(comment) for comment in view.comments],
        photos=[photo_out(account_key, photo) for photo in view.photos],
        can_rate=view.can_rate,
        can_reopen=view.can_reopen,
    )


def _created(portal: Services, account_key: str, data: RequestIn) -> ServiceRequest:
    form = RequestForm(
        category=data.category,
        description=data.description,
        contact_phone=data.contact_phone,
        visit_window=data.visit_window,
        emergency=data.emergency,
    )
    files = data.photos
    try:
        uploads = [PhotoUpload(f.filename or "photo", f.file) for f in files]
        return create_request(portal.requests, account_key, form, uploads)
    finally:
        for f in files:
            f.file.close()


class RequestCategoriesController(Controller):
    path = "/request-categories"
    tags = ["requests"]  # noqa: RUF012 - Litestar reads it as the class attribute

    @get("/", summary="Категории заявок", security=BEARER, responses=problem_responses(401))
    async def categories(
        self,
        request: AnyRequest,
        portal: Portal,
        holder: Holder,
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> Response[CursorPage[CategoryOut]]:
        """Категории, из которых житель выбирает при подаче заявки, в порядке формы."""
        found = [CategoryOut(c.code, c.title) for c in portal.requests.catalogue.categories]
        return json_read(request, page_of(found, lambda c: c.code, cursor, limit))


class ServiceRequestsController(Controller):
    path = "/accounts/{account:str}/requests"
    tags = ["requests"]  # noqa: RUF012 - Litestar reads it as the class attribute

    @get("/", summary="Заявки по счёту", security=BEARER, responses=problem_responses(401, 404))
    async def requests(
        self,
        request: AnyRequest,
        portal: Portal,
        owned: Owned,
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> Response[CursorPage[RequestOut]]:
        """Заявки по квартире счёта, новые первыми, с их статусом."""
        key = owned.key
        found = await read(portal, resident_requests, portal.requests, key)
        items = [request_out(portal, each) for each in found]
        return json_read(request, page_of(items, lambda r: r.id, cursor, limit))

    @post(
        "/", summary="Подать заявку (с фотографиями)", security=BEARER, status_code=201,
        responses=problem_responses(401, 404, 413, 415, *IDEMPOTENT_REFUSALS),
        operation_class=NewRequest,
        request_max_body_size=MAX_BODY_BYTES,
        middleware=[DefineMiddleware(UploadGuard, max_file_bytes=MAX_PHOTO_BYTES)],
        response_headers=[
            ResponseHeader(
                name="Location", documentation_only=True, description="Адрес новой заявки"
            )
        ],
    )  # fmt: skip
    async def create(
        self,
        portal: Portal,
        holder: Holder,
        owned: Owned,
        request: AnyRequest,
        idempotency_key: IdempotencyKey = None,
    ) -> Response[RequestOut]:
        """Проверяет поля и фотографии и сохраняет заявку или отказывает, назвав поле
        (`photos` — для фотографии, которую не удалось прочитать). Не больше заявок в
        сутки, чем разрешено настройками (422 `too_many_requests_today`). Повтор с тем же
        `Idempotency-Key` и теми же полями и фотографиями (граница частей может быть
        другой) отвечает той же заявкой."""
        key = owned.key
        data = await request_in(request)

        def run() -> Response[RequestOut]:
            made = _created(portal, key, data)
            location = f"{API_PATH}/accounts/{key}/requests/{made.id}"
            out = request_out(portal, made)
            return Response(out, status_code=201, headers={"Location": location})

        try:
            said = b"" if idempotency_key is None else await sync_to_thread(fingerprint_of, data)
            return await resident_once(
                request, portal, holder, run, body=said, content_type=MULTIPART
            )
        finally:
            for photo in data.photos:
                photo.file.close()

    @get(
        "/{request_id:str}", summary="Заявка с историей, перепиской и фотографиями",
        security=BEARER, responses=problem_responses(401, 404),
    )  # fmt: skip
    async def one(
        self,
        request: AnyRequest,
        portal: Portal,
        owned: Owned,
        request_id: RequestId,
    ) -> Response[RequestDetail]:
        """Заявка счёта; чужая заявка не найдена (404)."""
        key = owned.key
        view = await read(portal, request_view, portal.requests, request_id, key)
        return json_read(request, detail_of(portal, view))

    @post(
        "/{request_id:str}/comments", summary="Написать диспетчеру", security=BEARER,
        status_code=201, responses=problem_responses(401, 404, *IDEMPOTENT_REFUSALS),
    )  # fmt: skip
    async def comment(
        self,
        request: AnyRequest,
        portal: Portal,
        holder: Holder,
        owned: Owned,
        request_id: RequestId,
        data: JSONBody[CommentIn],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[CommentOut]:
        """Комментарий в переписке по заявке; диспетчер увидит его в очереди."""
        key = owned.key

        def run() -> Response[CommentOut]:
            made = comment_as_resident(portal.requests, key, request_id, data.text)
            return Response(comment_out(made), status_code=201)

        return await resident_once(request, portal, holder, run)

    @post(
        "/{request_id:str}/rating", summary="Оценить выполненную заявку", security=BEARER,
        status_code=200, responses=problem_responses(401, 404, *IDEMPOTENT_REFUSALS),
    )  # fmt: skip
    async def rate(
        self,
        request: AnyRequest,
        portal: Portal,
        holder: Holder,
        owned: Owned,
        request_id: RequestId,
        data: JSONBody[RatingIn],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[RequestOut]:
        """Оценка от 1 до 5, один раз за выполнение; только выполненной заявке (422)."""
        key = owned.key

        def run() -> Response[RequestOut]:
            rated = rate_request(portal.requests, key, request_id, data.score, data.comment)
            return Response(request_out(portal, rated))

        return await resident_once(request, portal, holder, run)

    @post(
        "/{request_id:str}/reopening", summary="Возобновить выполненную заявку",
        security=BEARER, status_code=200,
        responses=problem_responses(401, 404, *IDEMPOTENT_REFUSALS),
    )  # fmt: skip
    async def reopen(
        self,
        request: AnyRequest,
        portal: Portal,
        holder: Holder,
        owned: Owned,
        request_id: RequestId,
        data: JSONBody[ReopenIn],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[RequestOut]:
        """Выполненная заявка снова становится новой, если с выполнения прошло не больше
        дней, чем разрешено настройками (иначе 422 `reopen_window_closed`)."""
        key = owned.key

        def run() -> Response[RequestOut]:
            reopened = reopen_request(portal.requests, key, request_id, data.reason)
            return Response(request_out(portal, reopened))

        return await resident_once(request, portal, holder, run)

    @get(
        "/{request_id:str}/photos/{photo_id:str}", summary="Фотография заявки (JPEG)",
        security=BEARER, responses=problem_responses(401, 404), media_type="image/jpeg",
    )  # fmt: skip
    async def photo(
        self,
        request: AnyRequest,
        portal: Portal,
        owned: Owned,
        request_id: RequestId,
        photo_id: PhotoId,
        size: PhotoSize = "full",
    ) -> Response[bytes]:
        """Фотография или её миниатюра (`size=thumb`), только жителю счёта заявки."""
        key = owned.key
        data = await read(
            portal, request_photo, portal.requests, request_id, photo_id,
            thumbnail=size == "thumb", account_key=key,
        )  # fmt: skip
        headers = {
            "Content-Disposition": f'inline; filename="photo-{photo_id[:8]}.jpg"',
            "X-Content-Type-Options": "nosniff",
        }
        return bytes_read(request, data, "image/jpeg", headers)
