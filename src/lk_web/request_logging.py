"""One structured log line per response, with a request id; never a body, cookie or token.

Logging itself is configured alike for the web and the `lk` command (lk_adapters.logging).
The line is written from Litestar's `before_send` hook, which sees every response,
including 404s of unknown paths and refusals by the CSRF check, which bypass route
middleware. The middleware only starts the clock and binds the request id so that log
lines written while handling the request carry it too.
"""

from __future__ import annotations

import time
import uuid

import structlog
from litestar.datastructures import MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

# Paths of e-mailed links carry a secret after these prefixes.
SECRET_PATH_PREFIXES = ("/register/confirm/", "/password/reset/", "/personal/email/confirm/")
STATE_ID = "lk_request_id"
STATE_STARTED = "lk_started"


def loggable_path(path: str) -> str:
    """The path with any secret part cut off."""
    for prefix in SECRET_PATH_PREFIXES:
        if path.startswith(prefix):
            return prefix + "…"
    return path


def _state(scope: Scope) -> dict[str, object]:
    return scope.setdefault("state", {})


class RequestContextMiddleware:
    """Gives the request an id and a start time, bound for every log line it causes."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        state = _state(scope)
        request_id = str(state.setdefault(STATE_ID, uuid.uuid4().hex[:16]))
        state.setdefault(STATE_STARTED, time.perf_counter())
        structlog.contextvars.bind_contextvars(request_id=request_id)
        try:
            await self.app(scope, receive, send)
        finally:
            structlog.contextvars.unbind_contextvars("request_id")


async def log_response(message: Message, scope: Scope) -> None:
    """`before_send` hook: the request id header and the canonical log line."""
    if message["type"] != "http.response.start" or scope["type"] != ScopeType.HTTP:
        return
    state = _state(scope)
    request_id = str(state.setdefault(STATE_ID, uuid.uuid4().hex[:16]))
    MutableScopeHeaders.from_message(message)["X-Request-Id"] = request_id
    started = state.get(STATE_STARTED)
    elapsed = (
        round((time.perf_counter() - started) * 1000, 1) if isinstance(started, float) else None
    )
    structlog.get_logger("lk.web").info(
        "request",
        request_id=request_id,
        method=scope["method"],
        path=loggable_path(scope["path"]),
        status=message["status"],
        ms=elapsed,
    )
