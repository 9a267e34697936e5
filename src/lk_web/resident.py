"""Who is signed in, resolved once per request: the `resident` dependency (ADR 0041).

A handler that serves only a signed-in resident declares `resident: Resident` and gets the
session and the accounts it may show, read in one read-only unit of work (on the event
loop over an embedded database, ADR 0033). A visitor who is not signed in (no cookie, an
unknown or expired session, a registration still under way) never reaches the handler:
the dependency raises `SignedOut`, and the app's one handler for it sends them to the
front page. The main page reads the visitor inside its own read (ADR 0032) and raises
`SignedOut` itself; its route says so with `SIGNED_IN_ONLY`.
"""

from __future__ import annotations

from typing import Any

import attrs
from litestar.concurrency import sync_to_thread
from litestar.di import NamedDependency
from litestar.handlers import BaseRouteHandler
from litestar.response import Redirect

from lk_core.access.linking import ResidentAccounts
from lk_core.access.sessions import Session
from lk_core.access.visitor import settle, upkeep_due, visitor_of
from lk_core.accounts.account import Account
from lk_web.client import AnyRequest
from lk_web.dependencies import Portal
from lk_web.pages import header_of, see_other
from lk_web.reads import read

SIGNED_OUT = "/?notice=signed-out"
SIGNED_IN_ONLY: dict[str, Any] = {"signed_in_only": True}
"""`opt` of a route that resolves the visitor in its own read rather than taking `resident`."""


class SignedOut(Exception):
    """The page is for a signed-in resident and the visitor is not one."""


@attrs.frozen
class SignedIn:
    """The signed-in resident of a request: the session, and the accounts it may show."""

    session: Session
    accounts: ResidentAccounts

    @property
    def account(self) -> Account:
        """The account the session shows: the resident's own or a linked one."""
        return self.accounts.shown

    @property
    def header(self) -> dict[str, Any]:
        """What every signed-in page's header shows: the account and the switcher."""
        return header_of(self.accounts)


Resident = NamedDependency[SignedIn]


async def resolve_resident(request: AnyRequest, portal: Portal) -> SignedIn:
    """The request's signed-in resident; anyone else is `SignedOut`.

    The read writes nothing; what it implies (the last-seen time once a minute, an expired
    session forgotten, the shown account falling back to the own) is written afterwards in
    a worker thread, only when due.
    """
    access = portal.access
    visitor = await read(portal, visitor_of, access, portal.client.session_id(request))
    if upkeep_due(access, visitor):
        accounts = await sync_to_thread(settle, access, visitor)
    else:
        accounts = visitor.accounts
    if visitor.session is None or accounts is None:
        raise SignedOut
    return SignedIn(visitor.session, accounts)


def send_to_front_page(request: AnyRequest, error: SignedOut) -> Redirect:
    """The one answer to a signed-out visitor on a signed-in page: the front page, saying why."""
    return see_other(SIGNED_OUT)


def requires_sign_in(handler: BaseRouteHandler) -> bool:
    """Whether a route serves only a signed-in resident: it takes `resident`, or it resolves
    the visitor in its own read and is marked `SIGNED_IN_ONLY`."""
    return "resident" in handler.parsed_fn_signature.parameters or bool(
        handler.opt.get("signed_in_only")
    )
