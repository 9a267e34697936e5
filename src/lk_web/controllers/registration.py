"""Registration: the form (F3), e-mail link (F4), SMS code (F5)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from litestar import Controller, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import Redirect, Template

from lk_core.access.context import AccessContext
from lk_core.access.errors import RegistrationSessionExpired, TokenInvalid
from lk_core.access.first_visit import (
    RegistrationForm,
    confirm_registration_link,
    submit_registration,
)
from lk_core.access.registration import ConfirmationMethod
from lk_core.access.sms_confirmation import (
    check_sms_code,
    complete_sms_registration,
    send_sms_code,
    sms_step,
)
from lk_core.access.visitor import account_being_registered
from lk_core.kernel.errors import DomainError
from lk_web.client import AnyRequest, ClientFacts
from lk_web.dependencies import Portal
from lk_web.pages import form_errors, page, see_other

FORM = Body(media_type=RequestEncodingType.URL_ENCODED)
EXPIRED = "/?notice=registration-expired"


@dataclass
class RegisterForm:
    surname: str = ""
    email: str = ""
    password: str = ""
    confirmation: str = ""
    consent: str = ""
    method: str = "email"


@dataclass
class PhoneForm:
    phone: str = ""


@dataclass
class CodeForm:
    code: str = ""


class RegistrationController(Controller):
    """Pages of registration, from the form to a signed-in resident."""

    path = "/register"

    @get("/", sync_to_thread=True)
    def form(
        self,
        request: AnyRequest,
        portal: Portal,
    ) -> Template | Redirect:
        """The registration form for the account the first visit proved."""
        try:
            account = account_being_registered(portal.access, portal.client.session_id(request))
        except RegistrationSessionExpired:
            return see_other(EXPIRED)
        return page(
            "register.html.j2", account=account, form=RegisterForm(), errors={},
            policy=portal.access.policies.password,
        )  # fmt: skip

    @post("/", sync_to_thread=True)
    def submit(
        self,
        request: AnyRequest,
        portal: Portal,
        data: Annotated[RegisterForm, FORM],
    ) -> Template | Redirect:
        """Store the pending registration; e-mail the link or go on to the SMS step."""
        raw = portal.client.session_id(request)
        try:
            account = account_being_registered(portal.access, raw)
        except RegistrationSessionExpired:
            return see_other(EXPIRED)
        method = ConfirmationMethod.SMS if data.method == "sms" else ConfirmationMethod.EMAIL
        form = RegistrationForm(
            data.surname, data.email, data.password, data.confirmation,
            consent=data.consent == "yes", method=method,
        )  # fmt: skip
        try:
            started = submit_registration(
                portal.access,
                raw,
                form,
                ip=portal.client.ip(request),
                user_agent=portal.client.user_agent(request),
            )
        except DomainError as error:
            data.password = data.confirmation = ""
            return page(
                "register.html.j2", status_code=400, account=account, form=data,
                errors=form_errors(error), policy=portal.access.policies.password,
            )  # fmt: skip
        if started.method is ConfirmationMethod.SMS:
            return see_other("/register/sms")
        return page("register_sent.html.j2", account=account, email=started.email)

    @get("/sms", sync_to_thread=True)
    def sms(
        self,
        request: AnyRequest,
        portal: Portal,
    ) -> Template | Redirect:
        """Phone → «Отправить смс» → code → «ОК» → «Подтверждено» → «Сохранить» (F5)."""
        return self._sms_page(request, portal.access, portal.client)

    def _sms_page(
        self,
        request: AnyRequest,
        access: AccessContext,
        client: ClientFacts,
        *,
        status_code: int = 200,
        errors: dict[str, str] | None = None,
        phone: str = "",
    ) -> Template | Redirect:
        raw = client.session_id(request)
        try:
            account = account_being_registered(access, raw)
            step = sms_step(access, raw)
        except RegistrationSessionExpired:
            return see_other(EXPIRED)
        shown_phone = phone or (str(step.sent_to) if step.sent_to else "")
        if not shown_phone and account.phone is not None:
            shown_phone = str(account.phone)
        return page(
            "register_sms.html.j2", status_code=status_code, account=account, step=step,
            phone=shown_phone, errors=errors or {},
        )  # fmt: skip

    @post("/sms/send", sync_to_thread=True)
    def send(
        self,
        request: AnyRequest,
        portal: Portal,
        data: Annotated[PhoneForm, FORM],
    ) -> Template | Redirect:
        """Queue a code to the phone."""
        try:
            send_sms_code(
                portal.access,
                portal.client.session_id(request),
                data.phone,
                ip=portal.client.ip(request),
            )
        except RegistrationSessionExpired:
            return see_other(EXPIRED)
        except DomainError as error:
            return self._sms_page(
                request, portal.access, portal.client, status_code=400, phone=data.phone,
                errors={"phone": error.message_ru},
            )  # fmt: skip
        return see_other("/register/sms")

    @post("/sms/check", sync_to_thread=True)
    def check(
        self,
        request: AnyRequest,
        portal: Portal,
        data: Annotated[CodeForm, FORM],
    ) -> Template | Redirect:
        """«ОК»: a right code shows «Подтверждено»."""
        try:
            check_sms_code(
                portal.access,
                portal.client.session_id(request),
                data.code,
                ip=portal.client.ip(request),
            )
        except RegistrationSessionExpired:
            return see_other(EXPIRED)
        except DomainError as error:
            return self._sms_page(
                request,
                portal.access,
                portal.client,
                status_code=400,
                errors={"code": error.message_ru},
            )
        return see_other("/register/sms")

    @post("/sms/complete", sync_to_thread=True)
    def complete(
        self,
        request: AnyRequest,
        portal: Portal,
    ) -> Template | Redirect:
        """«Сохранить»: registration complete, signed in."""
        try:
            raw = complete_sms_registration(
                portal.access, portal.client.session_id(request), ip=portal.client.ip(request)
            )
        except RegistrationSessionExpired:
            return see_other(EXPIRED)
        except DomainError as error:
            return self._sms_page(
                request,
                portal.access,
                portal.client,
                status_code=400,
                errors={"": error.message_ru},
            )
        return see_other("/home", portal.client.session_cookie_for(raw))

    @get("/confirm/{token:str}", sync_to_thread=True)
    def confirm(
        self,
        request: AnyRequest,
        portal: Portal,
        token: FromPath[str],
    ) -> Template | Redirect:
        """The e-mailed link: completes registration and signs in (F4)."""
        try:
            raw = confirm_registration_link(
                portal.access,
                token,
                ip=portal.client.ip(request),
                current_session=portal.client.session_id(request),
            )
        except TokenInvalid as error:
            return page(
                "link_problem.html.j2",
                status_code=410 if error.reason in ("expired", "used") else 404,
                reason=error.reason, purpose="registration",
                headers={"Referrer-Policy": "no-referrer"},
            )  # fmt: skip
        return see_other("/home", portal.client.session_cookie_for(raw))
