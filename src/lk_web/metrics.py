"""The portal's request metrics (ADR 0056): one histogram observation per response.

Recorded from the `before_send` hook that writes the request's log line, which sees every
response. A route's label is its template (`/receipts/{month}`), never the path as
requested, so no account number, token or month a visitor typed becomes a label.
Requests that match no route are counted apart and not timed. Sign-in outcomes are
counted by the sign-in handler.
"""

from __future__ import annotations

import time

from litestar.enums import ScopeType
from litestar.types import Message, Scope
from prometheus_client import Counter, Histogram

from lk_web.request_logging import STATE_STARTED

REQUEST_SECONDS = Histogram(
    "lk_http_request_duration_seconds",
    "Time to the response's first byte, by method, route template and status.",
    ("method", "route", "status"),
)
UNMATCHED_REQUESTS = Counter(
    "lk_http_unmatched_requests",
    "Requests that matched no route, by status (404, 405).",
    ("status",),
)
THROTTLED_REQUESTS = Counter(
    "lk_http_throttled_requests",
    "Requests refused for too many attempts (429), by route template.",
    ("route",),
)
SIGN_INS = Counter(
    "lk_sign_ins",
    "Sign-in attempts by outcome: success, wrong_password, throttled, refused.",
    ("outcome",),
)
_SIGN_IN_OUTCOMES = {"sign_in_failed": "wrong_password", "throttled": "throttled"}


def count_sign_in(error_code: str | None) -> None:
    """Count a sign-in: None for a success, else the domain error's code."""
    outcome = "success" if error_code is None else _SIGN_IN_OUTCOMES.get(error_code, "refused")
    SIGN_INS.labels(outcome).inc()


async def record_response(message: Message, scope: Scope) -> None:
    """`before_send` hook: the response's observation."""
    if message["type"] != "http.response.start" or scope["type"] != ScopeType.HTTP:
        return
    status = str(message["status"])
    route = scope.get("path_template")
    started = scope.get("state", {}).get(STATE_STARTED)
    if not route or not isinstance(started, float):
        UNMATCHED_REQUESTS.labels(status).inc()
        return
    REQUEST_SECONDS.labels(scope["method"], route, status).observe(time.perf_counter() - started)
    if status == "429":
        THROTTLED_REQUESTS.labels(route).inc()
