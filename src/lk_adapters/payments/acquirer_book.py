"""A small YooKassa-compatible acquirer: the demo's payment page and the tests' server.

It keeps payments in memory and answers as YooKassa API v3 does: a payment created with
an Idempotence-Key already used is the same payment; statuses move pending → succeeded
or canceled, and never back. It exists so the portal works end to end without the
internet (demo mode) and so the YooKassa adapter is tested against the protocol.
"""

from __future__ import annotations

import threading
import uuid
from typing import Any


class AcquirerBook:
    """Payments by id, created by idempotence key."""

    def __init__(self, shop_id: str, secret_key: str, pay_page: str, notify_url: str = "") -> None:
        self.notify_url = notify_url  # the shop's webhook, for a demo that notifies it
        self.shop_id = shop_id
        self.secret_key = secret_key
        self._pay_page = pay_page  # `{id}` is the payment's id
        self._payments: dict[str, dict[str, Any]] = {}
        self._by_key: dict[str, str] = {}
        self._lock = threading.Lock()

    def authorized(self, user: str, password: str) -> bool:
        return (user, password) == (self.shop_id, self.secret_key)

    def create(self, body: dict[str, Any], idempotence_key: str) -> tuple[int, dict[str, Any]]:
        """(HTTP status, reply) for POST /v3/payments."""
        if not idempotence_key:
            return 400, _error("invalid_request", "Idempotence-Key header is required")
        try:
            amount = {"value": str(body["amount"]["value"]), "currency": body["amount"]["currency"]}
            return_url = str(body["confirmation"]["return_url"])
        except (KeyError, TypeError):
            return 400, _error("invalid_request", "amount and confirmation are required")
        with self._lock:
            if idempotence_key in self._by_key:
                return 200, dict(self._payments[self._by_key[idempotence_key]])
            payment_id = str(uuid.uuid4())
            payment = {
                "id": payment_id,
                "status": "pending",
                "paid": False,
                "amount": amount,
                "description": body.get("description", ""),
                "metadata": body.get("metadata") or {},
                "confirmation": {
                    "type": "redirect",
                    "return_url": return_url,
                    "confirmation_url": self._pay_page.format(id=payment_id),
                },
                "test": True,
            }
            self._payments[payment_id] = payment
            self._by_key[idempotence_key] = payment_id
            return 200, dict(payment)

    def get(self, payment_id: str) -> tuple[int, dict[str, Any]]:
        """(HTTP status, reply) for GET /v3/payments/{id}."""
        with self._lock:
            payment = self._payments.get(payment_id)
        if payment is None:
            return 404, _error("not_found", "Payment not found")
        return 200, dict(payment)

    def finish(self, payment_id: str, succeeded: bool) -> dict[str, Any] | None:
        """The payer paid (or gave up): the payment ends, once; None if unknown."""
        with self._lock:
            payment = self._payments.get(payment_id)
            if payment is None:
                return None
            if payment["status"] == "pending":
                payment["status"] = "succeeded" if succeeded else "canceled"
                payment["paid"] = succeeded
            return dict(payment)

    def notification(self, payment_id: str) -> dict[str, Any]:
        """The notification YooKassa POSTs to the shop's webhook for the payment's status."""
        payment = self._payments[payment_id]
        return {"type": "notification", "event": f"payment.{payment['status']}", "object": payment}


def _error(code: str, description: str) -> dict[str, Any]:
    return {"type": "error", "id": str(uuid.uuid4()), "code": code, "description": description}
