"""Who is calling: the API key in `X-Api-Key`, read from storage on every call (so a
revoked key is refused at once), and the scope each operation requires (ADR 0062)."""

from __future__ import annotations

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

KEY_REFUSED = "Ключ API не передан в заголовке X-Api-Key, неизвестен или отозван"


def caller_key(request: AnyRequest, wiring: ServiceWiring, scope: Scope) -> ApiKey:
    """The calling system's key, if it may act in `scope`: else 401 (no valid key) or 403."""
    raw = request.headers.get(SERVICE_KEY_HEADER.lower(), "")
    try:
        key = authenticate_api_key(wiring.api, raw.strip())
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


def caller_of(key: ApiKey) -> str:
    """The key's name as the owner of idempotency keys."""
    return f"key:{key.id}"
