"""Who calls the resident API: the holder of a bearer access token (ADR 0061).

The token is a session of an API device: it is read by the web's own `visitor_of` (the
same store, timeouts and linked-accounts check) and kept alive by its `settle`. The API
router's guard checks it before anything of the request is read: a call without a live
token of a device never reaches the handler, and answers 401 as a problem document
whatever its body (a body Litestar cannot parse would otherwise answer 400 first).
The account a call is about is a path parameter; `owned` gives it, and one the holder may
not see is 404.
"""

from __future__ import annotations

from typing import Annotated, Any, cast

import attrs
from litestar.concurrency import sync_to_thread
from litestar.connection import ASGIConnection
from litestar.di import NamedDependency
from litestar.handlers import BaseRouteHandler
from litestar.params import PathParameter

from lk_core.access.linking import ResidentAccounts
from lk_core.access.sessions import Session
from lk_core.access.visitor import Visitor, settle, upkeep_due, visitor_of
from lk_core.accounts.account import Account
from lk_core.kernel.errors import NotFound
from lk_web.api.problems import ApiProblem, of_status
from lk_web.client import AnyRequest
from lk_web.dependencies import Portal, Services, services_of
from lk_web.reads import read

AccountKey = Annotated[
    str,
    PathParameter(
        description="Лицевой счёт: номер без буквы, как в `GET /api/v1/accounts` (`key`)",
        pattern=r"^[0-9]{1,20}$",
        max_length=20,
    ),
]


@attrs.frozen
class TokenHolder:
    """The resident an access token signs in: its session and the accounts it may see."""

    session: Session
    accounts: ResidentAccounts
    access_token: str = attrs.field(repr=False)

    @property
    def registration_key(self) -> str:
        return self.accounts.registration_key

    def account(self, key: str) -> Account:
        """One of the holder's accounts; any other, existing or not, is `NotFound` (404)."""
        for account in self.accounts.choices:
            if account.key == key:
                return account
        raise NotFound("account", key)


Holder = NamedDependency[TokenHolder]


def bearer_token(request: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    """The token of `Authorization: Bearer <token>`, if the header says so."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or len(token) > 200:
        return None
    return token


def not_signed_in() -> ApiProblem:
    return of_status(401, {"WWW-Authenticate": 'Bearer realm="lk"'})


async def token_holder(request: AnyRequest, portal: Services) -> TokenHolder:
    """The holder of the request's access token; anyone else is a 401 problem."""
    token = bearer_token(request)
    if token is None:
        raise not_signed_in()
    access = portal.access
    visitor = await read(portal, visitor_of, access, token)
    session = visitor.session
    if session is None or session.device_id is None:  # a browser's session is no token
        raise not_signed_in()
    accounts = (
        await sync_to_thread(settle, access, visitor)
        if upkeep_due(access, visitor)
        else visitor.accounts
    )
    if accounts is None:
        raise not_signed_in()
    return TokenHolder(session, accounts, token)


_HOLDER = "token_holder"


async def require_token(
    connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
) -> None:
    """The API router's guard: a route for token holders (`requires_token`) is refused with
    401 before its parameters and body are read; the holder is kept for `holder`. A
    `TOKEN_ONLY` route reads its token in its own read: here only its presence is checked."""
    if not requires_token(handler):
        return
    if handler.opt.get("token_only"):
        if bearer_token(connection) is None:
            raise not_signed_in()
        return
    request = cast("AnyRequest", connection)
    holder = await token_holder(request, services_of(connection))
    connection.scope.setdefault("state", {})[_HOLDER] = holder


def resolve_holder(request: AnyRequest, portal: Portal) -> TokenHolder:
    """The holder the guard let through. It takes `portal` only to be resolved after it:
    two dependencies side by side cost a task group a request (ADR 0032)."""
    holder = request.scope.get("state", {}).get(_HOLDER)
    assert isinstance(holder, TokenHolder), "the API router's guard runs first"
    return holder


def owned_account(holder: Holder, account: AccountKey) -> Account:
    """The account the call's path names, one of the holder's; any other, existing or not,
    is `NotFound` (404), as on the pages."""
    return holder.account(account)


Owned = NamedDependency[Account]
"""The `owned` dependency: the account of `/accounts/{account}` if the holder may see it."""


TOKEN_ONLY: dict[str, Any] = {"token_only": True}
"""`opt` of a route that resolves the token in its own read rather than taking `holder`."""


async def settled_holder(portal: Services, visitor: Visitor, token: str) -> None:
    """Refuse a visitor read with the route's own data unless a live device token signed
    it in; write what the read implies (as `resolve_holder` does)."""
    session = visitor.session
    if session is None or session.device_id is None or visitor.accounts is None:
        raise not_signed_in()
    due = upkeep_due(portal.access, visitor)
    if due and await sync_to_thread(settle, portal.access, visitor) is None:
        raise not_signed_in()


_TOKEN_DEPENDENCIES = frozenset({"holder", "owned"})


def requires_token(handler: BaseRouteHandler) -> bool:
    """Whether a route serves only the holder of an access token: it takes `holder` or
    `owned`, or it reads the token in its own read and is marked `TOKEN_ONLY`."""
    parameters = handler.parsed_fn_signature.parameters
    return bool(handler.opt.get("token_only")) or not _TOKEN_DEPENDENCIES.isdisjoint(parameters)
