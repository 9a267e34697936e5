"""Rendering pages with what every page shows: the company and who is signed in."""

from __future__ import annotations

from typing import Any

from litestar.datastructures import Cookie
from litestar.response import Redirect, Template

from lk_core.access.context import AccessContext
from lk_core.access.linking import ResidentAccounts, resident_accounts
from lk_core.access.sessions import Session
from lk_core.access.sign_in import current_session
from lk_core.kernel.errors import DomainError, InvalidValue, NotFound
from lk_core.kernel.periods import Period
from lk_web.client import AnyRequest, ClientFacts

NO_STORE = {"Cache-Control": "no-store"}


def page(
    template: str,
    *,
    status_code: int = 200,
    cookies: list[Cookie] | None = None,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> Template:
    """A page that is never cached: every page here may show personal data."""
    return Template(
        template_name=template,
        context=context,
        status_code=status_code,
        cookies=cookies or [],
        headers={**NO_STORE, **(headers or {})},
    )


def see_other(path: str, cookie: str | None = None) -> Redirect:
    """Redirect after a successful POST (303, so a reload does not resend the form);
    `cookie`: a `Set-Cookie` value, as `ClientFacts` writes the session's."""
    if cookie is None:
        return Redirect(path=path, status_code=303, headers=NO_STORE)
    return Redirect(path=path, status_code=303, headers={**NO_STORE, "Set-Cookie": cookie})


def form_errors(error: DomainError) -> dict[str, str]:
    """A domain error as messages keyed by the form field they concern ("" = the form)."""
    field = error.field if isinstance(error, InvalidValue) else ""
    if error.code == "password_rejected":
        field = "password"
    return {field: error.message_ru}


def period_named(text: str) -> Period:
    """A period named in an address or a form; one that cannot be read is not found."""
    try:
        return Period.parse(text)
    except InvalidValue as error:
        raise NotFound("period", text) from error


def session_of(request: AnyRequest, access: AccessContext, client: ClientFacts) -> Session | None:
    return current_session(access, client.session_id(request))


def header_of(accounts: ResidentAccounts | None) -> dict[str, Any]:
    """What the header shows: the account and the account switcher (none: signed out)."""
    if accounts is None:
        return {"resident": None, "switcher": None}
    return {"resident": accounts.shown, "switcher": accounts}


def signed_in_view(access: AccessContext, session: Session | None) -> dict[str, Any]:
    """The header for a page that anyone may open (a signed-in page has it from
    `resident`), read for the session if it is signed in."""
    return header_of(resident_accounts(access, session))
