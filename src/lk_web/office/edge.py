"""Who is on duty, resolved once per request: the `staff` dependency (as `resident` is for
residents, ADR 0041).

The desk has its own cookie, naming a session in its own table: a resident's cookie is
never read here, and the desk's is never read by residents' pages. A request to the desk
without a signed-in, active staff member never reaches the handler: the dependency raises
`StaffSignedOut`, and the app's one handler for it sends the visitor to the desk's
sign-in page.
"""

from __future__ import annotations

from typing import Any

import attrs
from litestar.concurrency import sync_to_thread
from litestar.di import NamedDependency
from litestar.handlers import BaseRouteHandler
from litestar.response import Redirect

from lk_core.announcements.context import AnnouncementsContext
from lk_core.kernel.transaction import UnitOfWorkFactory
from lk_core.requests.context import RequestsContext
from lk_core.staff.context import StaffContext
from lk_core.staff.ports import StaffUnitOfWork
from lk_core.staff.sign_in import OnDuty, on_duty
from lk_web.client import AnyRequest
from lk_web.pages import see_other

OFFICE_SIGN_IN = "/office/sign-in"
STAFF_COOKIE_PLAIN = "lk_office"
STAFF_COOKIE_SECURE = "__Host-lk_office"


class StaffSignedOut(Exception):
    """The page is for a signed-in staff member and the visitor is not one."""


@attrs.frozen
class StaffCookie:
    """The desk's session cookie: its own name, `SameSite=Strict` (no link from elsewhere
    opens the desk signed in), and `__Host-` under HTTPS."""

    https: bool

    @property
    def name(self) -> str:
        return STAFF_COOKIE_SECURE if self.https else STAFF_COOKIE_PLAIN

    def session_id(self, request: AnyRequest) -> str | None:
        return request.cookies.get(self.name) or None

    def set(self, raw_id: str) -> str:
        return self._cookie(raw_id, "")

    def cleared(self) -> str:
        return self._cookie("", "; Max-Age=0; expires=Thu, 01 Jan 1970 00:00:00 GMT")

    def _cookie(self, value: str, lifetime: str) -> str:
        secure = "; Secure" if self.https else ""
        return f"{self.name}={value}{lifetime}; Path=/; SameSite=Strict; HttpOnly{secure}"


@attrs.frozen
class OfficeServices:
    """What the desk's handlers use, made once by `create_app`."""

    staff: StaffContext
    announcements: AnnouncementsContext
    cookie: StaffCookie
    requests: RequestsContext
    # Where a page's view event is written: its commit does not wait for the disk (ADR 0070).
    views_audit: UnitOfWorkFactory[StaffUnitOfWork]


Office = NamedDependency[OfficeServices]
Staff = NamedDependency[OnDuty]


async def resolve_staff(request: AnyRequest, office: Office) -> OnDuty:
    """The request's signed-in staff member; anyone else is `StaffSignedOut`."""
    duty = await sync_to_thread(on_duty, office.staff, office.cookie.session_id(request))
    if duty is None:
        raise StaffSignedOut
    return duty


def send_to_office_sign_in(request: AnyRequest, error: StaffSignedOut) -> Redirect:
    return see_other(OFFICE_SIGN_IN)


def nav(duty: OnDuty, here: str) -> dict[str, Any]:
    """What every desk page's header shows."""
    return {"member": duty.member, "here": here}


def requires_staff(handler: BaseRouteHandler) -> bool:
    """Whether a route serves only a signed-in staff member: it takes `staff`."""
    return "staff" in handler.parsed_fn_signature.parameters
