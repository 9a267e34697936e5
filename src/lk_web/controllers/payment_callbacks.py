"""Provider callbacks (F12): a notification is a hint to fetch the payment from the
provider; only what the provider's API says is applied, once, and 200 means committed.

These routes are exempt from CSRF (a provider has no browser session) and nothing else
is: see `CSRF_EXEMPT` in app.py.
"""

from __future__ import annotations

from typing import Any

import structlog
from litestar import Controller, post
from litestar.params import FromPath, JSONBody
from litestar.response import Response

from lk_core.kernel.errors import InvalidValue, NotFound
from lk_core.payments.errors import PaymentMismatch, ProviderUnavailable
from lk_core.payments.online_payment import confirm_from_provider
from lk_web.dependencies import Portal

log = structlog.get_logger()


def _payment_id(data: Any) -> str:
    """The payment's id from a YooKassa-style notification: {type, event, object: {id}}."""
    if isinstance(data, dict) and isinstance(data.get("object"), dict):
        payment_id = data["object"].get("id")
        if isinstance(payment_id, str) and 0 < len(payment_id) <= 128:
            return payment_id
    return ""


class PaymentCallbackController(Controller):
    path = "/api/v1/payments/callbacks"

    @post("/{provider:str}", sync_to_thread=True, status_code=200)
    def callback(
        self, portal: Portal, provider: FromPath[str], data: JSONBody[Any]
    ) -> Response[dict[str, str]]:
        """Fetch the payment named in the notification and apply its status."""
        event = data.get("event", "") if isinstance(data, dict) else ""
        if isinstance(event, str) and event and not event.startswith("payment."):
            # Refunds and payouts are not credited here; answered so they are not resent.
            log.info("payment_callback_ignored", provider=provider, notification_event=event)
            return Response({"status": "ignored"}, status_code=200)
        payment_id = _payment_id(data)
        if not payment_id:
            return Response({"error": "no payment id"}, status_code=400)
        try:
            effect = confirm_from_provider(portal.payments, provider, payment_id).value
        except (NotFound, InvalidValue):
            log.warning("payment_callback_unknown", provider=provider, payment_id=payment_id)
            return Response({"error": "unknown payment"}, status_code=404)
        except PaymentMismatch as error:
            log.error("payment_callback_mismatch", provider=provider, what=error.what)
            return Response({"error": "mismatch"}, status_code=409)
        except ProviderUnavailable as error:
            # Not 200: the provider sends the notification again later.
            log.warning("payment_callback_unverified", provider=provider, detail=error.detail)
            return Response({"error": "provider unavailable"}, status_code=503)
        log.info("payment_callback", provider=provider, payment_id=payment_id, effect=effect)
        return Response({"status": effect}, status_code=200)
