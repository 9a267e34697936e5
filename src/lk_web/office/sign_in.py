"""The desk's sign-in: login and password, then the code from an authenticator app (or a
recovery code); the first sign-in takes the one-time enrolment code an operator issued,
then enrols the app from a QR code and shows the recovery codes once (F32, ADR 0065, 0072)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import segno
from litestar import Controller, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template

from lk_core.kernel.errors import DomainError
from lk_core.staff.sign_in import (
    SecondFactorExpired,
    SecondFactorStep,
    enter_enrolment_code,
    on_duty,
    second_factor_step,
    sign_in_with_code,
    sign_in_with_password,
    staff_sign_out,
)
from lk_web.client import AnyRequest
from lk_web.dependencies import Portal
from lk_web.office.edge import OFFICE_SIGN_IN, Office
from lk_web.pages import page, see_other

FORM = Body(media_type=RequestEncodingType.URL_ENCODED)
CODE_PAGE = "/office/sign-in/code"
ENROL_PAGE = "/office/sign-in/enrol"


@dataclass
class PasswordForm:
    login: str = ""
    password: str = ""


@dataclass
class CodeForm:
    code: str = ""


@dataclass
class EnrolmentForm:
    enrolment_code: str = ""


def _status(error: DomainError) -> int:
    return 429 if error.code == "throttled" else 400


def qr_svg(uri: str) -> str:
    """The enrolment QR code as inline SVG (no script, no external image)."""
    return segno.make(uri, error="m").svg_inline(
        scale=5,
        border=4,
        light="white",
        omitsize=True,
        title="QR-код для приложения-аутентификатора",
    )


class OfficeSignInController(Controller):
    path = OFFICE_SIGN_IN

    @get("/", sync_to_thread=True)
    def form(self, request: AnyRequest, office: Office) -> Template | Redirect:
        """The desk's sign-in: login and password."""
        if on_duty(office.staff, office.cookie.session_id(request)) is not None:
            return see_other("/office")
        notice = request.query_params.get("notice", "")
        return page("office/sign_in.html.j2", login="", errors={}, notice=notice)

    @post("/", sync_to_thread=True)
    def password(
        self,
        request: AnyRequest,
        portal: Portal,
        office: Office,
        data: Annotated[PasswordForm, FORM],
    ) -> Template | Redirect:
        """Check the login and password; the code comes next. One message for any wrong
        pair or a disabled account."""
        try:
            raw = sign_in_with_password(
                office.staff, data.login, data.password,
                ip=portal.client.ip(request), current_session=office.cookie.session_id(request),
            )  # fmt: skip
        except DomainError as error:
            return page("office/sign_in.html.j2", status_code=_status(error), login=data.login,
                        errors={"": error.message_ru}, notice="")  # fmt: skip
        return see_other(CODE_PAGE, office.cookie.set(raw))

    @post("/enrol", sync_to_thread=True)
    def enrol(
        self,
        request: AnyRequest,
        portal: Portal,
        office: Office,
        data: Annotated[EnrolmentForm, FORM],
    ) -> Template | Redirect:
        """Check the one-time enrolment code; the new key (QR code) is shown next, to this
        browser only."""
        raw = office.cookie.session_id(request)
        try:
            enrolling = enter_enrolment_code(
                office.staff, raw, data.enrolment_code, ip=portal.client.ip(request)
            )
        except SecondFactorExpired:
            return see_other(f"{OFFICE_SIGN_IN}?notice=expired")
        except DomainError as error:
            return self._refused(office, raw, error)
        return see_other(CODE_PAGE, office.cookie.set(enrolling))

    @get("/code", sync_to_thread=True)
    def code_form(self, request: AnyRequest, office: Office) -> Template | Redirect:
        """The code from the authenticator app; at the first sign-in, the enrolment code,
        then the QR code to add the desk to the app."""
        try:
            step = second_factor_step(office.staff, office.cookie.session_id(request))
        except SecondFactorExpired:
            return see_other(f"{OFFICE_SIGN_IN}?notice=expired")
        return self._code_page(step, {})

    @post("/code", sync_to_thread=True)
    def code(
        self,
        request: AnyRequest,
        portal: Portal,
        office: Office,
        data: Annotated[CodeForm, FORM],
    ) -> Template | Redirect:
        """Check the code (or a recovery code); a new session id is issued once it matches.
        At enrolment the recovery codes are shown on this response, and never again."""
        raw = office.cookie.session_id(request)
        try:
            signed_in = sign_in_with_code(
                office.staff, raw, data.code, ip=portal.client.ip(request)
            )
        except SecondFactorExpired:
            return see_other(f"{OFFICE_SIGN_IN}?notice=expired")
        except DomainError as error:
            return self._refused(office, raw, error)
        cookie = office.cookie.set(signed_in.session_id)
        if signed_in.recovery_codes:
            return page(
                "office/recovery_codes.html.j2",
                codes=signed_in.recovery_codes,
                headers={"Set-Cookie": cookie},
            )
        return see_other("/office", cookie)

    @post("/out", sync_to_thread=True)
    def sign_out(self, request: AnyRequest, portal: Portal, office: Office) -> Redirect:
        """End the staff session on the server and forget the cookie."""
        staff_sign_out(
            office.staff, office.cookie.session_id(request), ip=portal.client.ip(request)
        )
        return see_other(f"{OFFICE_SIGN_IN}?notice=signed-out", office.cookie.cleared())

    def _refused(self, office: Office, raw: str | None, error: DomainError) -> Template | Redirect:
        """The code page again with the refusal, or back to the start if the step ended."""
        try:
            step = second_factor_step(office.staff, raw)
        except SecondFactorExpired:
            return see_other(f"{OFFICE_SIGN_IN}?notice=expired")
        return self._code_page(step, {"": error.message_ru}, status_code=_status(error))

    def _code_page(
        self, step: SecondFactorStep, errors: dict[str, str], status_code: int = 200
    ) -> Template:
        uri = step.enrolment_uri
        return page(
            "office/code.html.j2",
            status_code=status_code,
            step=step,
            qr=qr_svg(uri) if uri else "",
            errors=errors,
        )
