"""Who is calling: the API key in `X-Api-Key`, read from storage on every call (so a
revoked key is refused at once), and the scope each operation requires (ADR 0062).

A guard of the service router checks both before anything of the request is read: a
caller without a valid key learns nothing, not even whether its body would be valid.
"""

from __future__ import annotations

import math
from typing import Any, cast

import anyio.to_thread
from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler

from lk_core.access.throttling import Throttled
from lk_core.service_api import (
    ApiKey,
    ApiKeyInvalid,
    Scope,
    ScopeMissing,
    authenticate_api_key,
    require_scope,
)
from lk_web.api.openapi import SERVICE_KEY_HEADER
from lk_web.api.problems import ApiProblem
from lk_web.api.service.wiring import ServiceWiring
from lk_web.client import AnyRequest
from lk_web.dependencies import services_of

KEY_REFUSED = "Ключ API не передан в заголовке X-Api-Key, неизвестен или отозван"
SCOPE = "service_scope"
"""The `opt` of each service handler naming the scope it requires."""
_KEY = "service_key"


def _checked(wiring: ServiceWiring, raw: str, ip: str, scope: Scope) -> ApiKey:
    try:
        key = authenticate_api_key(wiring.api, raw.strip(), ip)
    except Throttled as throttled:
        seconds = max(1, math.ceil(throttled.retry_after.total_seconds()))
        raise ApiProblem(
            429, throttled.code, throttled.message_ru, headers={"Retry-After": str(seconds)}
        ) from None
    except ApiKeyInvalid:
        raise ApiProblem(
            401,
            ApiKeyInvalid.code,
            KEY_REFUSED,
            headers={"WWW-Authenticate": f'ApiKey header="{SERVICE_KEY_HEADER}"'},
        ) from None
    try:
        require_scope(key, scope)
    except ScopeMissing as missing:
        raise ApiProblem(403, missing.code, missing.message_ru) from None
    return key


async def require_service_key(
    connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
) -> None:
    """401 without a valid key, 403 without the handler's scope, 429 after too many failed
    keys from the client's address; else the key is kept for the handler (`caller_key`)."""
    scope = handler.opt[SCOPE]
    assert isinstance(scope, Scope), "every service handler names its scope"
    raw = connection.headers.get(SERVICE_KEY_HEADER.lower(), "")
    services = services_of(connection)
    assert services.service is not None, "create_app wires the service API"
    ip = services.client.ip(cast("AnyRequest", connection))
    key = await anyio.to_thread.run_sync(_checked, services.service, raw, ip, scope)
    connection.scope.setdefault("state", {})[_KEY] = key


def caller_key(connection: ASGIConnection[Any, Any, Any, Any]) -> ApiKey:
    """The key the guard let through for this request."""
    key = connection.scope.get("state", {}).get(_KEY)
    assert isinstance(key, ApiKey), "the service router's guard runs first"
    return key


def caller_of(key: ApiKey) -> str:
    """The key as the owner of idempotency keys."""
    return f"key:{key.id}"
