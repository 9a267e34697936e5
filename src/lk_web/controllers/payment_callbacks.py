"""Provider callbacks (F12): a notification is a hint to ask the provider about a payment.
It is stored and answered at once; the payment is fetched from the provider in the
background and only what the provider's API says is applied, once (ADR 0053).

Only the provider's published addresses are listened to, each at most
`LK_PAYMENTS_CALLBACK_RATE` times a minute, and both are checked before the body is
read. The handler runs on the event loop; its one write takes a worker thread from a
small limiter of its own, never the tokens the pages' handlers share.

These routes are exempt from CSRF (a provider has no browser session) and nothing else
is: see `CSRF_EXEMPT` in app.py.
"""

from __future__ import annotations

import json
import time
from typing import Any

import anyio
import anyio.to_thread
import structlog
from litestar import Controller, post
from litestar.exceptions import ClientException
from litestar.params import FromPath
from litestar.response import Response

from lk_core.kernel.errors import InvalidValue, NotFound
from lk_core.payments.callback_gate import Admission
from lk_core.payments.verification import VerificationOutcome, Verified, record_notification
from lk_web.client import AnyRequest
from lk_web.dependencies import Portal

log = structlog.get_logger()

MAX_NOTIFICATION_BYTES = 64 * 1024  # YooKassa's are about 1 KiB
RECORDING_THREADS = 4  # notifications stored at once; more wait on the loop, costing nothing
_LIMITER = "lk_payment_callbacks_limiter"


def _payment_id(data: Any) -> str:
    """The payment's id from a YooKassa-style notification: {type, event, object: {id}}."""
    if isinstance(data, dict) and isinstance(data.get("object"), dict):
        payment_id = data["object"].get("id")
        if isinstance(payment_id, str) and 0 < len(payment_id) <= 128:
            return payment_id
    return ""


def _recording_limiter(request: AnyRequest) -> anyio.CapacityLimiter:
    """The app's own limiter for storing notifications (one per app, made on first use)."""
    state = request.app.state
    if _LIMITER not in state:
        state[_LIMITER] = anyio.CapacityLimiter(RECORDING_THREADS)
    limiter: anyio.CapacityLimiter = state[_LIMITER]
    return limiter


async def _notification(request: AnyRequest) -> Any:
    try:
        return json.loads(await request.body())
    except ValueError:
        return None


def log_verification(verified: Verified) -> None:
    """One log line per verification the background verifier finished or put off."""
    pending = verified.pending
    fields = {
        "provider": pending.provider,
        "payment_id": pending.provider_payment_id,
        "outcome": verified.outcome.value,
        "attempt": pending.attempts,
    }
    if verified.outcome in (VerificationOutcome.MISMATCH, VerificationOutcome.GAVE_UP):
        log.error("payment_verification", detail=verified.detail, **fields)
    elif verified.outcome in (VerificationOutcome.RETRY, VerificationOutcome.UNKNOWN):
        log.warning("payment_verification", detail=verified.detail, **fields)
    else:
        log.info("payment_verification", **fields)


def log_verifier_failure(error: Exception) -> None:
    log.error("payment_verifier_failed", error_type=type(error).__name__)


class PaymentCallbackController(Controller):
    path = "/api/v1/payments/callbacks"

    @post("/{provider:str}", status_code=200, request_max_body_size=MAX_NOTIFICATION_BYTES)
    async def callback(
        self, request: AnyRequest, portal: Portal, provider: FromPath[str]
    ) -> Response[dict[str, str]]:
        """Store the notification for verification with the provider, and answer at once."""
        admission = portal.payments.callback_gate.admit(portal.client.ip(request), time.monotonic())
        if admission is Admission.FOREIGN:
            return Response({"error": "forbidden"}, status_code=403)
        if admission is Admission.THROTTLED:
            return Response(
                {"error": "too many notifications"}, status_code=429, headers={"Retry-After": "60"}
            )
        try:
            data = await _notification(request)
        except ClientException:
            return Response({"error": "too large"}, status_code=413)
        event = data.get("event", "") if isinstance(data, dict) else ""
        if isinstance(event, str) and event and not event.startswith("payment."):
            # Refunds and payouts are not credited here; answered so they are not resent.
            log.info("payment_callback_ignored", provider=provider, notification_event=event)
            return Response({"status": "ignored"}, status_code=200)
        payment_id = _payment_id(data)
        if not payment_id:
            return Response({"error": "no payment id"}, status_code=400)
        try:
            await anyio.to_thread.run_sync(
                record_notification, portal.payments, provider, payment_id,
                limiter=_recording_limiter(request),
            )  # fmt: skip
        except (NotFound, InvalidValue):
            return Response({"error": "unknown provider"}, status_code=404)
        log.info("payment_callback", provider=provider, payment_id=payment_id)
        return Response({"status": "accepted"}, status_code=200)
