"""The router of the JSON API at `/api/v1`: its handlers, its errors, in the schema (ADR 0060)."""

from __future__ import annotations

from collections.abc import Sequence

from litestar import Router
from litestar.di import Provide
from litestar.types import ControllerRouterHandler

from lk_web.api.auth import owned_account, require_token, resolve_holder
from lk_web.api.openapi import API_PATH
from lk_web.api.problems import EXCEPTION_HANDLERS


def api_router(handlers: Sequence[ControllerRouterHandler]) -> Router:
    """`/api/v1` with the given controllers: problem documents for every error, the token
    checked before anything else of a resident's call, and the only routes in the OpenAPI
    document."""
    return Router(
        path=API_PATH,
        route_handlers=list(handlers),
        exception_handlers=EXCEPTION_HANDLERS,
        guards=[require_token],
        dependencies={
            "holder": Provide(resolve_holder, sync_to_thread=False),
            "owned": Provide(owned_account, sync_to_thread=False),
        },
        include_in_schema=True,
    )
