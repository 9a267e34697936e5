"""Forgotten password (F7): request a link, set a new password by it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from litestar import Controller, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import Template

from lk_core.access.errors import TokenInvalid
from lk_core.access.password_reset import (
    request_password_reset,
    reset_link_is_usable,
    reset_password,
)
from lk_core.kernel.errors import DomainError
from lk_web.client import AnyRequest
from lk_web.dependencies import Portal
from lk_web.pages import form_errors, page

FORM = Body(media_type=RequestEncodingType.URL_ENCODED)
# Reset pages carry a token in their address: it must not leak to other sites.
NO_REFERRER = {"Referrer-Policy": "no-referrer"}


@dataclass
class ForgotForm:
    account: str = ""
    email: str = ""


@dataclass
class NewPasswordForm:
    password: str = ""
    confirmation: str = ""


class PasswordResetController(Controller):
    path = "/password"

    @get("/forgot", sync_to_thread=False)
    def forgot(self) -> Template:
        """Account number and e-mail of the registration."""
        return page("forgot.html.j2", form=ForgotForm(), errors={})

    @post("/forgot", sync_to_thread=True)
    def request_link(
        self,
        request: AnyRequest,
        portal: Portal,
        data: Annotated[ForgotForm, FORM],
    ) -> Template:
        """The same answer whether or not the pair exists."""
        try:
            request_password_reset(
                portal.access, data.account, data.email, ip=portal.client.ip(request)
            )
        except DomainError as error:  # only throttling gets here
            return page("forgot.html.j2", status_code=429, form=data, errors={"": error.message_ru})
        return page("forgot_sent.html.j2")

    @get("/reset/{token:str}", sync_to_thread=True)
    def reset_form(self, portal: Portal, token: FromPath[str]) -> Template:
        """The new-password form, or why the link no longer works."""
        if not reset_link_is_usable(portal.access, token):
            return page(
                "link_problem.html.j2", status_code=410, reason="expired", purpose="reset",
                headers=NO_REFERRER,
            )  # fmt: skip
        return page(
            "reset.html.j2", token=token, errors={}, policy=portal.access.policies.password,
            headers=NO_REFERRER,
        )  # fmt: skip

    @post("/reset/{token:str}", sync_to_thread=True)
    def reset(
        self,
        request: AnyRequest,
        portal: Portal,
        token: FromPath[str],
        data: Annotated[NewPasswordForm, FORM],
    ) -> Template:
        """Set the new password; no automatic sign-in afterwards."""
        try:
            reset_password(
                portal.access, token, data.password, data.confirmation, ip=portal.client.ip(request)
            )
        except TokenInvalid:
            return page(
                "link_problem.html.j2", status_code=410, reason="expired", purpose="reset",
                headers=NO_REFERRER,
            )  # fmt: skip
        except DomainError as error:
            return page(
                "reset.html.j2", status_code=400, token=token, errors=form_errors(error),
                policy=portal.access.policies.password, headers=NO_REFERRER,
            )  # fmt: skip
        return page("reset_done.html.j2", headers=NO_REFERRER)
