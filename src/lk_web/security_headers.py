"""Security headers on every response (SECURITY.md, "Sessions and forms").

Added from Litestar's `before_send` hook so that error responses produced outside route
middleware (404, 405, a refused CSRF check) carry them too.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from litestar.types import Message, Scope

# Paths that set their own caching (static files, ADR 0067) or none that matters.
STATIC = ("/static/", "/assets/")
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def security_headers(https: bool) -> Callable[[Message, Scope], Awaitable[None]]:
    """A `before_send` hook adding the headers a response does not set itself; HSTS under
    HTTPS; `no-store` on everything but static files (any page may show personal data)."""
    headers = dict(HEADERS)
    if https:
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    # Encoded once: every response passes here.
    encoded = [
        (name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers.items()
    ]
    no_store = (b"cache-control", b"no-store")

    async def add_headers(message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start":
            return
        response_headers = list(message.get("headers", ()))
        present = {bytes(name).lower() for name, _value in response_headers}
        response_headers.extend(pair for pair in encoded if pair[0] not in present)
        if b"cache-control" not in present and not scope["path"].startswith(STATIC):
            response_headers.append(no_store)
        message["headers"] = response_headers

    return add_headers
