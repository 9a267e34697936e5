"""Facts about the client a handler needs: its IP, user agent, session and device cookies."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.datastructures import Cookie

from lk_core.access.devices import DEVICE_TOKEN_LIFETIME

AnyRequest = Request[Any, Any, Any]

SESSION_COOKIE_PLAIN = "lk_session"
SESSION_COOKIE_SECURE = "__Host-lk_session"
DEVICE_COOKIE_PLAIN = "lk_device"
DEVICE_COOKIE_SECURE = "__Host-lk_device"


class ClientFacts:
    """How this deployment reads clients: behind a trusted proxy or not, HTTPS or not."""

    def __init__(self, *, https: bool, behind_proxy: bool) -> None:
        self.https = https
        self.behind_proxy = behind_proxy
        self.session_cookie = SESSION_COOKIE_SECURE if https else SESSION_COOKIE_PLAIN
        self.device_cookie = DEVICE_COOKIE_SECURE if https else DEVICE_COOKIE_PLAIN

    def ip(self, request: AnyRequest) -> str:
        """The client address; proxy headers count only when the proxy is trusted."""
        if self.behind_proxy:
            # The trusted proxy appends the address it saw; entries before it are the
            # client's own words and could be anything.
            forwarded = request.headers.get("x-forwarded-for", "")
            last = forwarded.split(",")[-1].strip()
            if last:
                return last[:64]
        client = request.client
        return client.host if client else ""

    def user_agent(self, request: AnyRequest) -> str:
        return request.headers.get("user-agent", "")[:500]

    def session_id(self, request: AnyRequest) -> str | None:
        return request.cookies.get(self.session_cookie) or None

    def session_cookie_for(self, raw_id: str) -> str:
        """The `Set-Cookie` value for a session id (an URL-safe token: nothing to quote).

        Written out rather than built by Litestar's `Cookie`, which goes through
        `http.cookies` and `dataclasses.asdict`: on a sign-in that cost more than the
        rest of the response together."""
        return self._session_cookie(raw_id, "")

    def cleared_session_cookie(self) -> str:
        return self._session_cookie("", "; Max-Age=0; expires=Thu, 01 Jan 1970 00:00:00 GMT")

    def _session_cookie(self, value: str, lifetime: str) -> str:
        secure = "; Secure" if self.https else ""
        return f"{self.session_cookie}={value}{lifetime}; Path=/; SameSite=Lax; HttpOnly{secure}"

    def device_tokens(self, request: AnyRequest) -> str | None:
        """The device cookie: tokens of the accounts signed in from this browser (ADR 0050)."""
        return request.cookies.get(self.device_cookie) or None

    def device_cookie_for(self, tokens: str) -> Cookie:
        """The device cookie, kept for a token's lifetime and across sign-outs: it says
        this browser signed in before, not who is signed in now."""
        return Cookie(
            key=self.device_cookie,
            value=tokens,
            max_age=int(DEVICE_TOKEN_LIFETIME.total_seconds()),
            path="/",
            secure=self.https,
            httponly=True,
            samesite="lax",
        )
