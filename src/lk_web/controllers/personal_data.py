"""«Личные данные» (F18): the account's data, «Изменить пароль» and a new e-mail (F19),
linked accounts (F20)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from litestar import Controller, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery
from litestar.response import Redirect, Template

from lk_core.access.app_devices import AppDevice
from lk_core.access.app_tokens import revoke_device
from lk_core.access.email_change import confirm_email_change, request_email_change
from lk_core.access.errors import CurrentPasswordWrong, LinkRequested, TokenInvalid
from lk_core.access.linking import (
    answer_link_request,
    link_account,
    read_link_request,
    unlink_account,
)
from lk_core.access.password_change import PasswordChange, change_password
from lk_core.access.sessions import Session
from lk_core.kernel.errors import DomainError, NotFound
from lk_core.personal_data.account_details import personal_page as personal_page_of
from lk_core.personal_data.context import PersonalDataContext
from lk_web.client import AnyRequest
from lk_web.dependencies import Portal
from lk_web.pages import form_errors, page, see_other, session_of, signed_in_view
from lk_web.resident import Resident, SignedIn, SignedOut

FORM = Body(media_type=RequestEncodingType.URL_ENCODED)
# The confirmation page carries a token in its address: it must not leak to other sites.
NO_REFERRER = {"Referrer-Policy": "no-referrer"}


@dataclass
class PasswordForm:
    current_password: str = ""
    password: str = ""
    confirmation: str = ""


@dataclass
class EmailForm:
    email: str = ""
    current_password: str = ""


@dataclass
class LinkForm:
    number: str = ""
    surname: str = ""
    password: str = ""


def decimal_ru(value: Decimal | None) -> str:
    """`54.30` as `54,3`: as a Russian reader writes an area."""
    if value is None:
        return ""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def status_of(error: DomainError) -> int:
    return 429 if error.code == "throttled" else 400


def errors_of(error: DomainError) -> dict[str, str]:
    if isinstance(error, CurrentPasswordWrong):
        return {"current_password": error.message_ru}
    return form_errors(error)


def personal_page(
    ctx: PersonalDataContext,
    resident: SignedIn,
    *,
    status_code: int = 200,
    notice: str = "",
    **forms: Any,
) -> Template:
    try:
        read = personal_page_of(ctx, resident.session)
    except NotFound as error:  # the session ended (elsewhere) since `resident` was read
        raise SignedOut from error
    data = read.data
    context: dict[str, Any] = {
        "password_form": PasswordForm(),
        "password_errors": {},
        "email_form": EmailForm(),
        "email_errors": {},
        "link_form": LinkForm(),
        "link_errors": {},
        "link_requests": read.link_requests,
        "devices": devices_shown(ctx, read.devices),
    }
    context |= forms
    return page(
        "personal_data.html.j2",
        status_code=status_code,
        **resident.header,
        data=data,
        area=decimal_ru(data.account.area),
        house_area=decimal_ru(data.house_area),
        notice=notice,
        policy=ctx.access.policies.password,
        **context,
    )


def devices_shown(ctx: PersonalDataContext, devices: Iterable[AppDevice]) -> list[dict[str, str]]:
    """The devices signed in through the API (ADR 0061), their times in the company's zone."""
    zone = ZoneInfo(ctx.access.time_zone)

    def local(moment: dt.datetime) -> str:
        return moment.astimezone(zone).strftime("%d.%m.%Y %H:%M")

    return [
        {"id": d.id, "name": d.name, "signed_in": local(d.signed_in_at),
         "last_used": local(d.last_used_at)}
        for d in devices
    ]  # fmt: skip


def _request_problem(portal: Portal, session: Session | None, error: TokenInvalid) -> Template:
    return page(
        "link_request_answered.html.j2", status_code=404 if error.reason == "unknown" else 410,
        **signed_in_view(portal.access, session), problem=error.message_ru, headers=NO_REFERRER,
    )  # fmt: skip


class PersonalDataController(Controller):
    """The «Личные данные» tab and its forms."""

    path = "/personal"

    @get("/", sync_to_thread=True)
    def show(self, portal: Portal, resident: Resident, notice: FromQuery[str] = "") -> Template:
        """The account's data as billing has them, read-only; the forms of the tab."""
        return personal_page(portal.personal_data, resident, notice=notice)

    @post("/password", sync_to_thread=True)
    def change_password(
        self,
        request: AnyRequest,
        portal: Portal,
        resident: Resident,
        data: Annotated[PasswordForm, FORM],
    ) -> Template | Redirect:
        """«Изменить пароль»: other sessions end, this one gets a new id."""
        form = PasswordChange(data.current_password, data.password, data.confirmation)
        try:
            raw = change_password(
                portal.access, resident.session, form, ip=portal.client.ip(request)
            )
        except DomainError as error:
            return personal_page(
                portal.personal_data, resident, status_code=status_of(error),
                password_errors=errors_of(error), open_password=True,
            )  # fmt: skip
        return see_other("/personal?notice=password-changed", portal.client.session_cookie_for(raw))

    @post("/email", sync_to_thread=True)
    def change_email(
        self,
        request: AnyRequest,
        portal: Portal,
        resident: Resident,
        data: Annotated[EmailForm, FORM],
    ) -> Template:
        """A new e-mail: a confirmation link goes to it; nothing changes until it is followed."""
        try:
            requested = request_email_change(
                portal.access,
                resident.session,
                data.email,
                data.current_password,
                ip=portal.client.ip(request),
            )
        except DomainError as error:
            return personal_page(
                portal.personal_data, resident, status_code=status_of(error), open_password=True,
                email_form=EmailForm(email=data.email), email_errors=errors_of(error),
            )  # fmt: skip
        return page(
            "email_change_sent.html.j2",
            **resident.header,
            email=requested.new_email,
            lifetime_hours=int(
                portal.access.policies.registration.email_link_lifetime.total_seconds() // 3600
            ),
        )

    @get("/email/confirm/{token:str}", sync_to_thread=True)
    def confirm_email(self, request: AnyRequest, portal: Portal, token: FromPath[str]) -> Template:
        """The link from the letter: the new address takes effect; works signed out too."""
        session = session_of(request, portal.access, portal.client)
        try:
            changed = confirm_email_change(portal.access, token, ip=portal.client.ip(request))
        except TokenInvalid as error:
            return page(
                "email_change_problem.html.j2",
                status_code=410 if error.reason in ("expired", "used", "attempts") else 404,
                **signed_in_view(portal.access, session),
                reason=error.reason, headers=NO_REFERRER,
            )  # fmt: skip
        except DomainError as error:  # the new address has no room left for the accounts
            return page(
                "email_change_problem.html.j2", status_code=409,
                **signed_in_view(portal.access, session),
                reason="full", message=error.message_ru, headers=NO_REFERRER,
            )  # fmt: skip
        return page(
            "email_change_done.html.j2",
            **signed_in_view(portal.access, session),
            changed=changed,
            headers=NO_REFERRER,
        )

    @post("/accounts", sync_to_thread=True)
    def link(
        self,
        request: AnyRequest,
        portal: Portal,
        resident: Resident,
        data: Annotated[LinkForm, FORM],
    ) -> Template | Redirect:
        """«Добавить лицевой счет»: the number and its own password, or its surname if
        nobody has registered it."""
        try:
            link_account(
                portal.access, resident.session, data.number,
                surname=data.surname, password=data.password, ip=portal.client.ip(request),
            )  # fmt: skip
        except NotFound:
            raise  # not a form's error: the app answers 404
        except LinkRequested:
            return see_other("/personal?notice=link-requested")  # the page lists the request
        except DomainError as error:
            errors = form_errors(error)
            if error.code == "password_rejected":
                errors = {"": error.message_ru}
            return personal_page(
                portal.personal_data, resident, status_code=status_of(error),
                link_form=LinkForm(number=data.number, surname=data.surname), link_errors=errors,
            )  # fmt: skip
        return see_other("/personal?notice=linked")

    @get("/link-requests/{token:str}", sync_to_thread=True)
    def show_request(self, request: AnyRequest, portal: Portal, token: FromPath[str]) -> Template:
        """The owner's approve or refuse link from the letter: what it would do, and a
        button that does it (opening the link answers nothing); works signed out too."""
        session = session_of(request, portal.access, portal.client)
        try:
            asked = read_link_request(portal.access, token)
        except TokenInvalid as error:
            return _request_problem(portal, session, error)
        return page(
            "link_request_answered.html.j2", **signed_in_view(portal.access, session),
            asked=asked, token=token, headers=NO_REFERRER,
        )  # fmt: skip

    @post("/link-requests/{token:str}", sync_to_thread=True)
    def answer_request(self, request: AnyRequest, portal: Portal, token: FromPath[str]) -> Template:
        """The owner's answer: the link's secret is used up, the request decided once."""
        session = session_of(request, portal.access, portal.client)
        try:
            answered = answer_link_request(portal.access, token, ip=portal.client.ip(request))
        except TokenInvalid as error:
            return _request_problem(portal, session, error)
        except DomainError as error:  # already linked, or the asking e-mail is full
            return page(
                "link_request_answered.html.j2", status_code=409,
                **signed_in_view(portal.access, session), problem=error.message_ru,
                headers=NO_REFERRER,
            )  # fmt: skip
        return page(
            "link_request_answered.html.j2",
            **signed_in_view(portal.access, session),
            answered=answered,
            headers=NO_REFERRER,
        )

    @post("/accounts/{number:str}/unlink", sync_to_thread=True)
    def unlink(
        self, request: AnyRequest, portal: Portal, resident: Resident, number: FromPath[str]
    ) -> Template | Redirect:
        """Unlink a linked account; the registration's own account stays."""
        try:
            unlink_account(portal.access, resident.session, number, ip=portal.client.ip(request))
        except NotFound:
            raise  # not a form's error: the app answers 404
        except DomainError as error:
            return personal_page(
                portal.personal_data, resident, status_code=400, link_errors={"": error.message_ru}
            )
        return see_other("/personal?notice=unlinked")

    @post("/devices/{device_id:str}/revoke", sync_to_thread=True)
    def disconnect_device(
        self, request: AnyRequest, portal: Portal, resident: Resident, device_id: FromPath[str]
    ) -> Redirect:
        """Disconnect a device signed in through the API: its tokens stop working at once.
        Another resident's device, or one already disconnected, is a 404."""
        revoke_device(
            portal.access, resident.session.registration_key or "", device_id,
            ip=portal.client.ip(request),
        )  # fmt: skip
        return see_other("/personal?notice=device-revoked")
