"""The desk's home and, for administrators, the staff's audit log (F32)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from litestar import Controller, get
from litestar.concurrency import sync_to_thread
from litestar.params import FromQuery, QueryParameter
from litestar.response import Template

from lk_core.access.audit import AuditKind
from lk_core.staff.errors import StaffForbidden
from lk_core.staff.ports import StaffEventQuery
from lk_core.staff.sign_in import OnDuty, recovery_codes_left
from lk_core.staff.trail import AuditPage, audit_page
from lk_web.client import AnyRequest
from lk_web.dependencies import Portal
from lk_web.office.edge import Office, OfficeServices, Staff, nav
from lk_web.pages import page

EVENT_NAMES = {
    AuditKind.STAFF_SIGN_IN: "вход",
    AuditKind.STAFF_SIGN_IN_FAILED: "неудачный вход",
    AuditKind.STAFF_SIGN_IN_THROTTLED: "вход заблокирован (много попыток)",
    AuditKind.STAFF_CODE_FAILED: "неверный код",
    AuditKind.STAFF_SIGN_OUT: "выход",
    AuditKind.STAFF_ENROLMENT_STARTED: "подключение второго фактора",
    AuditKind.STAFF_RECOVERY_CODE_USED: "вход по резервному коду",
    AuditKind.STAFF_ACTION: "действие",
    AuditKind.STAFF_VIEW: "просмотр",
    AuditKind.OPERATOR_ACTION: "действие",
    AuditKind.OPERATOR_VIEW: "просмотр",
}


def _day(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _query(
    office: OfficeServices, login: str | None, since: dt.date | None, until: dt.date | None
) -> StaffEventQuery:
    """Days of the company's time zone, as the admin means them: [since 00:00, until+1 00:00)."""
    zone = ZoneInfo(office.staff.time_zone)

    def start(day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(), zone).astimezone(dt.UTC)

    return StaffEventQuery(
        login=login or None,
        since=start(since) if since else None,
        until=start(until + dt.timedelta(days=1)) if until else None,
    )


def _read_audit(
    office: OfficeServices, duty: OnDuty, query: StaffEventQuery, number: int, ip: str
) -> AuditPage:
    ctx = office.staff
    with ctx.uow_factory() as uow:
        found = audit_page(uow, duty.member, query, number, ctx.clock.now(), ip=ip)
        uow.commit()
    return found


class OfficeController(Controller):
    path = "/office"

    @get("/")
    async def home(self, office: Office, staff: Staff) -> Template:
        """The desk's home: what there is to do, and how many recovery codes are left."""
        left = await sync_to_thread(recovery_codes_left, office.staff, staff.member)
        return page("office/home.html.j2", recovery_codes_left=left, **nav(staff, "/office"))

    @get("/audit")
    async def audit(
        self,
        request: AnyRequest,
        portal: Portal,
        office: Office,
        staff: Staff,
        member: FromQuery[str] = "",
        since: FromQuery[str] = "",
        until: FromQuery[str] = "",
        page_number: Annotated[str, QueryParameter(name="page")] = "1",
    ) -> Template:
        """The staff's audit log, newest first, by member and dates: administrators only
        (viewing it is recorded too)."""
        try:
            number = max(1, int(page_number))
        except ValueError:
            number = 1
        since_day, until_day = _day(since), _day(until)
        query = _query(office, member.strip().lower(), since_day, until_day)
        try:
            found = await sync_to_thread(
                _read_audit, office, staff, query, number, portal.client.ip(request)
            )
        except StaffForbidden as error:
            return page("error.html.j2", status_code=403, title="Доступ запрещён",
                        text=error.message_ru, home="/office", home_label="На главную")  # fmt: skip
        filters = {"member": query.login or "", "since": since, "until": until}
        kept = {key: value for key, value in filters.items() if value}
        return page(
            "office/audit.html.j2",
            found=found,
            filters=filters,
            names=EVENT_NAMES,
            zone=ZoneInfo(office.staff.time_zone),
            older=f"/office/audit?{urlencode(kept | {'page': number + 1})}",
            newer=f"/office/audit?{urlencode(kept | {'page': number - 1})}",
            **nav(staff, "/office/audit"),
        )
