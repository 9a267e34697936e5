"""«Заявки» (F30): the account's requests, the form for a new one with photos, and a
request's page with its history, comments, photos, rating and reopening.

A request belongs to the account the session shows; another account's request or photo
is a page that does not exist (404), never a hint that it exists. Photos are served only
through these handlers, to the resident of the request's account, never cached.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from litestar import Controller, Response, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.middleware.base import DefineMiddleware
from litestar.params import Body, FromPath, FromQuery
from litestar.response import Redirect, Template

from lk_core.kernel.errors import DomainError, NotFound
from lk_core.requests import (
    PhotoUpload,
    RequestForm,
    comment_as_resident,
    create_request,
    rate_request,
    reopen_request,
    request_number,
    request_photo,
    request_view,
    resident_requests,
)
from lk_web.dependencies import Portal, Services
from lk_web.pages import NO_STORE, form_errors, page, see_other
from lk_web.resident import Resident, SignedIn
from lk_web.upload_guard import UploadGuard

FORM = Body(media_type=RequestEncodingType.URL_ENCODED)
MULTIPART = Body(media_type=RequestEncodingType.MULTI_PART)
MB = 1024 * 1024
# Five photos of 10 MB and the form's text: anything larger is refused while streaming.
MAX_PHOTO_BYTES = 10 * MB
MAX_BODY_BYTES = 5 * MAX_PHOTO_BYTES + MB
ID_LENGTH = 32

NOTICES = {
    "created": "Заявка принята. Диспетчер рассмотрит её; об изменениях мы сообщим "
    "по каналам, выбранным в дополнительных услугах.",
    "commented": "Комментарий отправлен диспетчеру.",
    "rated": "Спасибо за оценку!",
    "reopened": "Заявка возобновлена и снова передана диспетчеру.",
}


def _local_time(portal: Services) -> Callable[[dt.datetime], str]:
    zone = ZoneInfo(portal.access.time_zone)
    return lambda moment: moment.astimezone(zone).strftime("%d.%m.%Y %H:%M")


def _checked_id(text: str) -> str:
    """An id in an address; anything else is a page that does not exist."""
    if len(text) != ID_LENGTH or not all(c in "0123456789abcdef" for c in text):
        raise NotFound("request", text)
    return text


def _form_page(
    portal: Services,
    resident: SignedIn,
    *,
    typed: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    account = resident.account
    typed = typed or {"contact_phone": str(account.phone) if account.phone else ""}
    return page(
        "request_new.html.j2",
        status_code=status_code,
        **resident.header,
        catalogue=portal.requests.catalogue,
        policy=portal.requests.policy,
        typed=typed,
        errors=errors or {},
    )


def _request_page(
    portal: Services,
    resident: SignedIn,
    request_id: str,
    *,
    notice: str = "",
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    view = request_view(portal.requests, request_id, resident.account.key)
    return page(
        "request.html.j2",
        status_code=status_code,
        **resident.header,
        view=view,
        number=request_number(view.request),
        notice=notice,
        errors=errors or {},
        local_time=_local_time(portal),
        reopen_days=portal.requests.policy.reopen_within.days,
    )


def _uploads(data: dict[str, Any]) -> list[UploadFile]:
    """The files chosen in the form; an empty file input sends a part with no name."""
    value = data.get("photos", [])
    files = value if isinstance(value, list) else [value]
    return [f for f in files if isinstance(f, UploadFile) and f.filename]


class ServiceRequestsController(Controller):
    path = "/requests"

    @get("/", sync_to_thread=True)
    def index(self, portal: Portal, resident: Resident, done: FromQuery[str] = "") -> Template:
        """The account's requests, newest first, with their status."""
        requests = resident_requests(portal.requests, resident.account.key)
        return page(
            "requests.html.j2",
            **resident.header,
            requests=requests,
            catalogue=portal.requests.catalogue,
            number=request_number,
            notice=NOTICES.get(done, ""),
            local_time=_local_time(portal),
        )

    @get("/new", sync_to_thread=True)
    def new(self, portal: Portal, resident: Resident) -> Template:
        """The form for a new request."""
        return _form_page(portal, resident)

    @post(
        "/new",
        sync_to_thread=True,
        request_max_body_size=MAX_BODY_BYTES,
        middleware=[DefineMiddleware(UploadGuard, max_file_bytes=MAX_PHOTO_BYTES)],
    )
    def create(
        self,
        portal: Portal,
        resident: Resident,
        data: Annotated[dict[str, Any], MULTIPART],
    ) -> Template | Redirect:
        """Check the form and its photos; store the request, or show each problem."""
        typed = {
            key: str(data.get(key, ""))
            for key in ("category", "description", "contact_phone", "visit_window")
        }
        form = RequestForm(
            category=typed["category"],
            description=typed["description"],
            contact_phone=typed["contact_phone"],
            visit_window=typed["visit_window"],
            emergency=str(data.get("emergency", "")) == "on",
        )
        typed["emergency"] = "on" if form.emergency else ""
        files = _uploads(data)
        uploads = [PhotoUpload(f.filename, f.file) for f in files]
        try:
            made = create_request(portal.requests, resident.account.key, form, uploads)
        except NotFound:
            raise
        except DomainError as error:
            errors = form_errors(error)
            if error.code == "photo_rejected":
                errors = {"photos": error.message_ru}
            return _form_page(portal, resident, typed=typed, errors=errors, status_code=400)
        finally:
            for f in files:
                f.file.close()
        return see_other(f"/requests/{made.id}?done=created")

    @get("/{request_id:str}", sync_to_thread=True)
    def show(
        self,
        portal: Portal,
        resident: Resident,
        request_id: FromPath[str],
        done: FromQuery[str] = "",
    ) -> Template:
        """A request with its history, comments and photos."""
        return _request_page(
            portal, resident, _checked_id(request_id), notice=NOTICES.get(done, "")
        )

    @post("/{request_id:str}/comment", sync_to_thread=True)
    def comment(
        self,
        portal: Portal,
        resident: Resident,
        request_id: FromPath[str],
        data: Annotated[dict[str, str], FORM],
    ) -> Template | Redirect:
        """Write to the dispatcher in the request's thread."""
        request_id = _checked_id(request_id)
        try:
            comment_as_resident(
                portal.requests, resident.account.key, request_id, str(data.get("text", ""))
            )
        except NotFound:
            raise
        except DomainError as error:
            errors = {"text": error.message_ru}
            return _request_page(portal, resident, request_id, errors=errors, status_code=400)
        return see_other(f"/requests/{request_id}?done=commented#comments")

    @post("/{request_id:str}/rate", sync_to_thread=True)
    def rate(
        self,
        portal: Portal,
        resident: Resident,
        request_id: FromPath[str],
        data: Annotated[dict[str, str], FORM],
    ) -> Template | Redirect:
        """Rate the done work, 1 to 5."""
        request_id = _checked_id(request_id)
        score = str(data.get("score", ""))
        try:
            rate_request(
                portal.requests,
                resident.account.key,
                request_id,
                int(score) if score.isdigit() else 0,
                str(data.get("comment", "")),
            )
        except NotFound:
            raise
        except DomainError as error:
            errors = {"score": error.message_ru}
            return _request_page(portal, resident, request_id, errors=errors, status_code=400)
        return see_other(f"/requests/{request_id}?done=rated")

    @post("/{request_id:str}/reopen", sync_to_thread=True)
    def reopen(
        self,
        portal: Portal,
        resident: Resident,
        request_id: FromPath[str],
        data: Annotated[dict[str, str], FORM],
    ) -> Template | Redirect:
        """Reopen a done request within the configured days."""
        request_id = _checked_id(request_id)
        try:
            reopen_request(
                portal.requests, resident.account.key, request_id, str(data.get("reason", ""))
            )
        except NotFound:
            raise
        except DomainError as error:
            errors = {"reason": error.message_ru}
            return _request_page(portal, resident, request_id, errors=errors, status_code=400)
        return see_other(f"/requests/{request_id}?done=reopened")

    @get("/{request_id:str}/photos/{photo_id:str}", sync_to_thread=True)
    def photo(
        self,
        portal: Portal,
        resident: Resident,
        request_id: FromPath[str],
        photo_id: FromPath[str],
        size: FromQuery[str] = "",
    ) -> Response[bytes]:
        """A photo of the account's request (`?size=thumb` for its thumbnail)."""
        data = request_photo(
            portal.requests,
            _checked_id(request_id),
            _checked_id(photo_id),
            thumbnail=size == "thumb",
            account_key=resident.account.key,
        )
        headers = {
            **NO_STORE,
            "Content-Disposition": f'inline; filename="photo-{photo_id[:8]}.jpg"',
            "X-Content-Type-Options": "nosniff",
        }
        return Response(data, media_type="image/jpeg", headers=headers)
