"""Demo mode only: a stand-in for YooKassa and for the redirect services' pages.

`/demo/acquiring/v3/payments` answers as YooKassa API v3 does (Basic auth, Idempotence-
Key), `/demo/acquiring/checkout/{id}` is the card page the resident is sent to, and
paying there sends the notification to the portal's webhook, exactly as YooKassa would.
`/demo/provider/{code}` shows what a redirect service's page would receive. None of it
exists outside demo mode.
"""

from __future__ import annotations

import base64
import binascii
import time
from typing import Annotated, Any

import httpx
import structlog
from litestar import Controller, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.exceptions import NotFoundException
from litestar.params import Body, FromPath, JSONBody
from litestar.response import Redirect, Response, Template

from lk_adapters.payments import AcquirerBook
from lk_core.payments.verification import verification_of
from lk_web.dependencies import Portal, Services
from lk_web.pages import NO_STORE, page

log = structlog.get_logger()
# How long the demo card page waits for the portal to verify the payment before sending
# the payer back, so that the demo shows the outcome instead of «ожидает подтверждения».
SETTLE_SECONDS = 5.0


def _credentials(request: Request[Any, Any, Any]) -> tuple[str, str]:
    header = request.headers.get("authorization", "")
    if not header.startswith("Basic "):
        return "", ""
    try:
        user, _, password = base64.b64decode(header[6:]).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return "", ""
    return user, password


def _reply(status: int, body: dict[str, Any]) -> Response[dict[str, Any]]:
    return Response(body, status_code=status, headers=NO_STORE)


def _book(portal: Services) -> AcquirerBook:
    """The demo acquirer; its routes exist only when there is one (app.py)."""
    assert portal.demo_acquirer is not None
    return portal.demo_acquirer


class DemoAcquiringController(Controller):
    """Registered only in demo mode without a configured YooKassa shop."""

    path = "/demo"

    @post("/acquiring/v3/payments", sync_to_thread=True, status_code=200)
    def create(
        self, request: Request[Any, Any, Any], portal: Portal, data: JSONBody[Any]
    ) -> Response[dict[str, Any]]:
        """POST /v3/payments as YooKassa answers it."""
        if not _book(portal).authorized(*_credentials(request)):
            return _reply(401, {"type": "error", "code": "invalid_credentials"})
        key = request.headers.get("idempotence-key", "")
        return _reply(*_book(portal).create(data if isinstance(data, dict) else {}, key))

    @get("/acquiring/v3/payments/{payment_id:str}", sync_to_thread=True)
    def fetch(
        self,
        request: Request[Any, Any, Any],
        portal: Portal,
        payment_id: FromPath[str],
    ) -> Response[dict[str, Any]]:
        """GET /v3/payments/{id} as YooKassa answers it."""
        if not _book(portal).authorized(*_credentials(request)):
            return _reply(401, {"type": "error", "code": "invalid_credentials"})
        return _reply(*_book(portal).get(payment_id))

    @get("/acquiring/checkout/{payment_id:str}", sync_to_thread=True)
    def checkout(self, portal: Portal, payment_id: FromPath[str]) -> Template:
        """The demo card page: pay or give up."""
        status, payment = _book(portal).get(payment_id)
        if status != 200:
            raise NotFoundException()
        return page("demo_checkout.html.j2", payment=payment)

    @post("/acquiring/checkout/{payment_id:str}", sync_to_thread=True)
    def finish(
        self,
        portal: Portal,
        payment_id: FromPath[str],
        data: Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Redirect:
        """End the payment, notify the portal as YooKassa would, and send the payer back."""
        payment = _book(portal).finish(payment_id, succeeded=data.get("outcome") == "paid")
        if payment is None:
            raise NotFoundException()
        try:
            reply = httpx.post(
                _book(portal).notify_url,
                json=_book(portal).notification(payment_id),
                timeout=15,
            )
            log.info("demo_acquirer_notified", status=reply.status_code)
        except httpx.HTTPError as error:  # the portal shows the order as pending, as it would
            log.warning("demo_acquirer_notification_failed", error=str(error))
        _wait_for_verification(portal, payment_id)
        return Redirect(path=payment["confirmation"]["return_url"], status_code=303)


def _wait_for_verification(portal: Services, payment_id: str) -> None:
    """Real YooKassa sends the payer back at once and the return page says to refresh; the
    demo waits (briefly) for the portal's background verification (ADR 0053)."""
    deadline = time.monotonic() + SETTLE_SECONDS
    while time.monotonic() < deadline:
        if verification_of(portal.payments, "yookassa", payment_id) is None:
            return
        time.sleep(0.05)


class DemoProviderController(Controller):
    """Registered only in demo mode: stands in for the redirect services' sites."""

    path = "/demo"

    @get("/provider/{code:str}", sync_to_thread=True)
    def provider_page(self, request: Request[Any, Any, Any], code: FromPath[str]) -> Template:
        """What «Система Город» or «Сбербанк Онлайн» would receive in its link."""
        names = {"gorod": "Система Город", "sberbank": "Сбербанк Онлайн"}
        if code not in names:
            raise NotFoundException()
        return page("demo_provider.html.j2", name=names[code], query=dict(request.query_params))
