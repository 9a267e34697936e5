"""The dispatcher's queue of service requests on the desk (F30, F32): the queue with its
filters, emergencies first; a request with its history, thread and photos; assigning an
executor, changing the status, rejecting with a reason and answering the resident.

As the `lk requests` commands do for operators (ADR 0030), every view and action is written
to the audit log under the member (`staff:<login>`) — an action before it is done, so that
nothing is done unaudited. Photos are served only here and on the resident's own pages,
never cached.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from litestar import Controller, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery, QueryParameter
from litestar.response import Redirect, Template

from lk_core.access.audit import AuditKind
from lk_core.accounts.account import House
from lk_core.kernel.errors import DomainError, NotFound
from lk_core.requests import (
    ExecutorSource,
    QueueFilter,
    RequestStatus,
    UnknownRequestNumber,
    assign_executor,
    change_status,
    comment_as_dispatcher,
    executor_roster,
    parse_request_number,
    reject_request,
    request_by_number,
    request_number,
    request_photo,
    request_queue,
    request_view,
)
from lk_core.staff.sign_in import OnDuty
from lk_core.staff.trail import staff_audit
from lk_web.client import AnyRequest
from lk_web.dependencies import Portal
from lk_web.office.edge import Office, OfficeServices, Staff, nav
from lk_web.pages import NO_STORE, page, see_other

FORM = Body(media_type=RequestEncodingType.URL_ENCODED)
QUEUE = "/office/requests"
QUEUE_PAGE = 30
ID_LENGTH = 32
HOUSE_CODE_MAX = 32  # a longer code is no house's; it also bounds the audit's details
FIND_TYPED_MAX = 40  # what of a typed request number is shown back
OPEN = frozenset(s for s in RequestStatus if s.is_open)
STATUS_CHOICES = [("open", "Открытые"), ("all", "Все")] + [
    (s.value, s.label_ru.capitalize()) for s in RequestStatus
]
EMERGENCY_CHOICES = [("", "Все"), ("yes", "Только аварийные"), ("no", "Только обычные")]
NOTICES = {
    "assigned": "Исполнитель назначен.",
    "status": "Статус изменён; житель получит уведомление по выбранным им каналам.",
    "rejected": "Заявка отклонена; житель получит уведомление с причиной.",
    "commented": "Комментарий отправлен жителю.",
}


def _checked_id(text: str) -> str:
    """An id in an address; anything else is a page that does not exist."""
    if len(text) != ID_LENGTH or not all(c in "0123456789abcdef" for c in text):
        raise NotFound("request", text)
    return text


def _audit(
    office: OfficeServices,
    duty: OnDuty,
    kind: AuditKind,
    ip: str,
    account_key: str | None,
    **details: str,
) -> None:
    ctx = office.staff
    views = kind is AuditKind.STAFF_VIEW
    with (office.views_audit if views else ctx.uow_factory)() as uow:
        staff_audit(uow.audit, kind, ctx.clock.now(), duty.member.actor, ip=ip,
                    account_key=account_key, **details)  # fmt: skip
        uow.commit()


def _account_of(office: OfficeServices, request_id: str) -> str:
    with office.requests.uow_factory(read_only=True) as uow:
        found = uow.service_requests.get(request_id)
    if found is None:
        raise NotFound("request", request_id)
    return found.account_key


def _houses(office: OfficeServices) -> list[House]:
    with office.announcements.uow_factory(read_only=True) as uow:
        return uow.houses.all()


def _address(office: OfficeServices, house_code: str) -> str:
    with office.announcements.uow_factory(read_only=True) as uow:
        house = uow.houses.get(house_code)
    return house.address if house is not None else house_code


def _local_time(office: OfficeServices) -> Callable[[dt.datetime], str]:
    zone = ZoneInfo(office.staff.time_zone)
    return lambda moment: moment.astimezone(zone).strftime("%d.%m.%Y %H:%M")


def _filter(
    filters: dict[str, str], categories: set[str], now: dt.datetime
) -> tuple[QueueFilter, dict[str, str]]:
    """The queue's filter from the address's query; what cannot be read is left out."""
    status = filters["status"]
    statuses: frozenset[RequestStatus] | None = OPEN
    if status == "all":
        statuses = None
    elif status in {s.value for s in RequestStatus}:
        statuses = frozenset({RequestStatus(status)})
    else:
        status = "open"
    category = filters["category"] if filters["category"] in categories else ""
    emergency = filters["emergency"] if filters["emergency"] in ("yes", "no") else ""
    overdue = "yes" if filters["overdue"] == "yes" else ""
    house = filters["house"].strip()[:HOUSE_CODE_MAX]
    where = QueueFilter(
        house_code=house or None,
        statuses=statuses,
        category=category or None,
        emergency={"yes": True, "no": False}.get(emergency),
        overdue_at=now if overdue else None,
    )
    kept = {"house": house, "status": status, "category": category,
            "emergency": emergency, "overdue": overdue}  # fmt: skip
    return where, kept


def _request_page(
    office: OfficeServices,
    duty: OnDuty,
    request_id: str,
    *,
    notice: str = "",
    errors: dict[str, str] | None = None,
    typed: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    view = request_view(office.requests, request_id)
    request = view.request
    moves = [s for s in RequestStatus if request.status.can_move_to(s)]
    roster = executor_roster(office.requests)
    current = roster.find(request.executor) if request.executor else None
    wanted = (typed or {}).get("executor")  # a refused choice is shown again if it can be
    chosen = roster.find(wanted) if wanted is not None else current
    groups = [(source.label_ru, roster.of_source(source)) for source in ExecutorSource]
    return page(
        "office/request.html.j2",
        status_code=status_code,
        view=view,
        number=request_number(request),
        overdue=request.is_overdue(office.requests.clock.now()),
        address=_address(office, request.house_code),
        moves=[s for s in moves if s is not RequestStatus.REJECTED],
        can_reject=RequestStatus.REJECTED in moves,
        executors=[(label, found) for label, found in groups if found],
        chosen=chosen.name if chosen else "",
        off_roster=bool(request.executor) and current is None,
        notice=notice,
        errors=errors or {},
        typed=typed or {},
        local_time=_local_time(office),
        **nav(duty, QUEUE),
    )


class DeskRequestsController(Controller):
    path = QUEUE

    @get("/", sync_to_thread=True)
    def queue(
        self,
        request: AnyRequest,
        portal: Portal,
        office: Office,
        staff: Staff,
        house: FromQuery[str] = "",
        status: FromQuery[str] = "open",
        category: FromQuery[str] = "",
        emergency: FromQuery[str] = "",
        overdue: FromQuery[str] = "",
        page_number: Annotated[str, QueryParameter(name="page")] = "1",
    ) -> Template:
        """The queue: emergencies first, then the earliest deadline; filtered and paged."""
        try:
            number = max(1, int(page_number))
        except ValueError:
            number = 1
        ctx = office.requests
        now = ctx.clock.now()
        catalogue = ctx.catalogue
        typed = {"house": house, "status": status, "category": category,
                 "emergency": emergency, "overdue": overdue}  # fmt: skip
        where, filters = _filter(typed, {c.code for c in catalogue.categories}, now)
        found = request_queue(ctx, where, (number - 1) * QUEUE_PAGE, QUEUE_PAGE)
        shown = sorted({r.account_key for r in found.requests})
        kept = {key: value for key, value in filters.items() if value}
        _audit(office, staff, AuditKind.STAFF_VIEW, portal.client.ip(request), None,
               page="requests", number=str(number), shown=str(len(found.requests)),
               accounts=",".join(shown), **{f"filter_{k}": v for k, v in kept.items()})  # fmt: skip
        houses = _houses(office)
        return page(
            "office/requests.html.j2",
            found=found,
            number=number,
            filters=filters,
            houses=houses,
            addresses={h.code: h.address for h in houses},
            catalogue=catalogue,
            statuses=STATUS_CHOICES,
            emergencies=EMERGENCY_CHOICES,
            request_number=request_number,
            now=now,
            local_time=_local_time(office),
            later=f"{QUEUE}?{urlencode(kept | {'page': number + 1})}",
            earlier=f"{QUEUE}?{urlencode(kept | {'page': number - 1})}",
            **nav(staff, QUEUE),
        )

    @get("/{request_id:str}", sync_to_thread=True)
    def show(
        self,
        request: AnyRequest,
        portal: Portal,
        office: Office,
        staff: Staff,
        request_id: FromPath[str],
        done: FromQuery[str] = "",
    ) -> Template:
        """A request with its history, thread, photos and the dispatcher's forms."""
        request_id = _checked_id(request_id)
        account = _account_of(office, request_id)
        _audit(office, staff, AuditKind.STAFF_VIEW, portal.client.ip(request), account,
               page="request", request=request_id)  # fmt: skip
        return _request_page(office, staff, request_id, notice=NOTICES.get(done, ""))

    def _act(
        self,
        request: AnyRequest,
        portal: Portal,
        office: OfficeServices,
        duty: OnDuty,
        request_id: str,
        form: str,
        typed: dict[str, str],
        action: Callable[[], Any],
        **details: str,
    ) -> Template | Redirect:
        """Audit the action, then do it; a refusal shows the request with the reason by
        the form it concerns."""
        request_id = _checked_id(request_id)
        account = _account_of(office, request_id)
        _audit(office, duty, AuditKind.STAFF_ACTION, portal.client.ip(request), account,
               action=f"request_{form}", request=request_id, **details)  # fmt: skip
        try:
            action()
        except NotFound:
            raise
        except DomainError as error:
            return _request_page(office, duty, request_id, errors={form: error.message_ru},
                                 typed=typed, status_code=400)  # fmt: skip
        done = {"assign": "assigned", "status": "status", "reject": "rejected"}.get(form, "")
        return see_other(f"{QUEUE}/{request_id}?done={done or 'commented'}")

    @post("/{request_id:str}/assign", sync_to_thread=True)
    def assign(
        self,
        request: AnyRequest,
        portal: Portal,
        office: Office,
        staff: Staff,
        request_id: FromPath[str],
        data: Annotated[dict[str, str], FORM],
    ) -> Template | Redirect:
        """Name who will do the work."""
        executor = str(data.get("executor", ""))
        return self._act(
            request, portal, office, staff, request_id, "assign", {"executor": executor},
            lambda: assign_executor(office.requests, request_id, executor, staff.member.login),
            executor=executor[:200],
        )  # fmt: skip

    @post("/{request_id:str}/status", sync_to_thread=True)
    def status(
        self,
        request: AnyRequest,
        portal: Portal,
        office: Office,
        staff: Staff,
        request_id: FromPath[str],
        data: Annotated[dict[str, str], FORM],
    ) -> Template | Redirect:
        """Move the request on with a comment to the resident."""
        chosen, comment = str(data.get("status", "")), str(data.get("comment", ""))

        def move() -> None:
            if chosen not in {s.value for s in RequestStatus} or chosen == "rejected":
                raise _Unchosen()
            change_status(office.requests, request_id, RequestStatus(chosen), comment,
                          staff.member.login)  # fmt: skip

        return self._act(request, portal, office, staff, request_id, "status",
                         {"status_comment": comment}, move, status=chosen[:20])  # fmt: skip

    @post("/{request_id:str}/reject", sync_to_thread=True)
    def reject(
        self,
        request: AnyRequest,
        portal: Portal,
        office: Office,
        staff: Staff,
        request_id: FromPath[str],
        data: Annotated[dict[str, str], FORM],
    ) -> Template | Redirect:
        """Reject the request; the resident reads the reason."""
        reason = str(data.get("reason", ""))
        return self._act(
            request, portal, office, staff, request_id, "reject", {"reason": reason},
            lambda: reject_request(office.requests, request_id, reason, staff.member.login),
        )  # fmt: skip

    @post("/{request_id:str}/comment", sync_to_thread=True)
    def comment(
        self,
        request: AnyRequest,
        portal: Portal,
        office: Office,
        staff: Staff,
        request_id: FromPath[str],
        data: Annotated[dict[str, str], FORM],
    ) -> Template | Redirect:
        """Answer the resident in the request's thread."""
        text = str(data.get("text", ""))
        return self._act(
            request, portal, office, staff, request_id, "comment", {"text": text},
            lambda: comment_as_dispatcher(office.requests, request_id, text, staff.member.login),
        )  # fmt: skip

    @get("/{request_id:str}/photos/{photo_id:str}", sync_to_thread=True)
    def photo(
        self,
        request: AnyRequest,
        portal: Portal,
        office: Office,
        staff: Staff,
        request_id: FromPath[str],
        photo_id: FromPath[str],
        size: FromQuery[str] = "",
    ) -> Response[bytes]:
        """A request's photo (`?size=thumb` for its thumbnail), to staff only, never
        cached. Opening the full photo is audited; thumbnails are part of the request's
        page, whose view is."""
        request_id, photo_id = _checked_id(request_id), _checked_id(photo_id)
        thumbnail = size == "thumb"
        if not thumbnail:
            _audit(office, staff, AuditKind.STAFF_VIEW, portal.client.ip(request),
                   _account_of(office, request_id), page="request_photo",
                   request=request_id, photo=photo_id)  # fmt: skip
        data = request_photo(office.requests, request_id, photo_id, thumbnail=thumbnail)
        headers = {
            **NO_STORE,
            "Content-Disposition": f'inline; filename="photo-{photo_id[:8]}.jpg"',
            "X-Content-Type-Options": "nosniff",
        }
        return Response(data, media_type="image/jpeg", headers=headers)

    @get("/find", sync_to_thread=True)
    def find(
        self, office: Office, staff: Staff, number: FromQuery[str] = ""
    ) -> Template | Redirect:
        """Open the request whose number a resident reads out (ADR 0075). Its page audits
        the view; a number that names no request shows nothing to audit."""
        try:
            found = request_by_number(office.requests, parse_request_number(number))
        except DomainError as error:
            status_code = 404 if isinstance(error, UnknownRequestNumber) else 400
            return page("office/request_find.html.j2", status_code=status_code,
                        typed=number[:FIND_TYPED_MAX], error=error.message_ru,
                        **nav(staff, QUEUE))  # fmt: skip
        return see_other(f"{QUEUE}/{found.id}")


class _Unchosen(DomainError):
    """The status form came without a status the dispatcher may choose."""

    code = "status_unchosen"

    def __init__(self) -> None:
        super().__init__("Выберите новый статус")
