"""The front door: sign-in (F1), first visit (F2) and sign-out (F8)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from litestar import Controller, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template

from lk_core.access.errors import AlreadyRegistered
from lk_core.access.first_visit import first_visit
from lk_core.access.sign_in import sign_in_with_device, sign_out
from lk_core.kernel.errors import DomainError
from lk_web.client import AnyRequest
from lk_web.dependencies import Portal
from lk_web.metrics import count_sign_in
from lk_web.pages import form_errors, page, see_other, session_of
from lk_web.resident import SIGNED_OUT

FORM = Body(media_type=RequestEncodingType.URL_ENCODED)


@dataclass
class SignInForm:
    account: str = ""
    password: str = ""


@dataclass
class FirstVisitForm:
    account: str = ""
    surname: str = ""


def front_page(**context: object) -> Template:
    context.setdefault("sign_in", {"account": ""})
    context.setdefault("first_visit", {"account": "", "surname": ""})
    context.setdefault("errors", {})
    context.setdefault("first_visit_errors", {})
    return page("sign_in.html.j2", **context)  # type: ignore[arg-type]


class SignInController(Controller):
    """Sign-in and first visit share the front page, as in the source guide."""

    @get("/", sync_to_thread=True)
    def front(
        self,
        request: AnyRequest,
        portal: Portal,
    ) -> Template | Redirect:
        """Sign in, or start a first visit."""
        session = session_of(request, portal.access, portal.client)
        if session is not None and session.is_signed_in:
            return see_other("/home")
        return front_page(notice=request.query_params.get("notice", ""))

    @post("/sign-in", sync_to_thread=True)
    def sign_in(
        self,
        request: AnyRequest,
        portal: Portal,
        data: Annotated[SignInForm, FORM],
    ) -> Template | Redirect:
        """Account number and password (F1): one generic error for any wrong pair. A
        browser that signed in before shows its device cookie and signs in from its own
        budget of attempts while strangers flood the account (ADR 0050)."""
        client = portal.client
        try:
            signed_in = sign_in_with_device(
                portal.access, data.account, data.password,
                ip=client.ip(request), current_session=client.session_id(request),
                device_cookie=client.device_tokens(request),
            )  # fmt: skip
        except DomainError as error:
            count_sign_in(error.code)
            status = 429 if error.code == "throttled" else 400
            return front_page(
                status_code=status, sign_in={"account": data.account}, errors={"": error.message_ru}
            )
        count_sign_in(None)
        answer = see_other("/home", client.session_cookie_for(signed_in.session_id))
        answer.set_cookie(client.device_cookie_for(signed_in.device_cookie))
        return answer

    @post("/first-visit", sync_to_thread=True)
    def first_visit(
        self,
        request: AnyRequest,
        portal: Portal,
        data: Annotated[FirstVisitForm, FORM],
    ) -> Template | Redirect:
        """Account number and surname of an unregistered account open registration (F2)."""
        try:
            raw = first_visit(
                portal.access, data.account, data.surname,
                ip=portal.client.ip(request), current_session=portal.client.session_id(request),
            )  # fmt: skip
        except AlreadyRegistered as error:
            return front_page(
                status_code=409, sign_in={"account": data.account}, errors={"": error.message_ru}
            )
        except DomainError as error:
            return front_page(
                status_code=429 if error.code == "throttled" else 400,
                first_visit={"account": data.account, "surname": data.surname},
                first_visit_errors=form_errors(error) | {"": error.message_ru},
            )
        return see_other("/register", portal.client.session_cookie_for(raw))

    @post("/sign-out", sync_to_thread=True)
    def sign_out(
        self,
        request: AnyRequest,
        portal: Portal,
    ) -> Redirect:
        """End the session on the server and forget the cookie (F8)."""
        sign_out(portal.access, portal.client.session_id(request), ip=portal.client.ip(request))
        return see_other(SIGNED_OUT, portal.client.cleared_session_cookie())
