"""Refuse state-changing requests whose Origin (or Referer) is not the portal itself."""

from __future__ import annotations

from urllib.parse import urlsplit

from litestar.enums import ScopeType
from litestar.exceptions import PermissionDeniedException
from litestar.types import ASGIApp, Receive, Scope, Send

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
DEFAULT_PORTS = {"http": 80, "https": 443}
# The names a browser on the same machine may use for the portal (demo mode).
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}

Origin = tuple[str, str, int | None]


def origin_of(url: str) -> Origin | None:
    """(scheme, host, port) of a URL, the port filled in when the scheme implies it;
    None for what is not an http(s) URL with a host (including the literal `null`)."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    return scheme, parts.hostname.lower(), port or DEFAULT_PORTS[scheme]


class OriginRefused(PermissionDeniedException):
    """A form came from a page that is not the portal's (or from the portal opened at
    another address); `portal_url` is the address to open it at."""

    def __init__(self, portal_url: str) -> None:
        super().__init__(detail="origin")
        self.portal_url = portal_url


class OriginCheckMiddleware:
    """Second line behind the CSRF token (OWASP CSRF cheat sheet: verify the origin).

    With `loopback` (demo mode), the portal opened on this machine as 127.0.0.1,
    localhost or [::1] on the port it is served on counts as the portal too: a newcomer
    types any of them, and nothing else can serve a page from that port.
    """

    def __init__(
        self,
        app: ASGIApp,
        allowed_origin: str,
        exempt_prefixes: tuple[str, ...],
        loopback: bool = False,
    ) -> None:
        self.app = app
        self.portal_url = allowed_origin
        self.allowed = origin_of(allowed_origin)
        self.exempt = exempt_prefixes
        self.loopback = loopback

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == ScopeType.HTTP
            and scope["method"] not in SAFE_METHODS
            and not scope["path"].startswith(self.exempt)
            and not self._same_origin(scope)
        ):
            # Raised, not answered here: the portal's error page explains what to do.
            raise OriginRefused(self.portal_url)
        await self.app(scope, receive, send)

    def _same_origin(self, scope: Scope) -> bool:
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        origin = headers.get("origin")
        if origin and origin != "null":
            return self._is_portal(origin_of(origin), scope)
        referer = headers.get("referer")
        if referer:
            return self._is_portal(origin_of(referer), scope)
        # Neither header: older clients and privacy tools; the CSRF token still guards.
        return True

    def _is_portal(self, origin: Origin | None, scope: Scope) -> bool:
        if origin is None:
            return False
        if origin == self.allowed:
            return True
        server = scope.get("server")
        served_port = server[1] if server else None
        return (
            self.loopback
            and served_port is not None
            and origin[0] == "http"
            and origin[1] in LOOPBACK_HOSTS
            and origin[2] == served_port
        )
