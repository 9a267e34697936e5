"""YooKassa (API v3) as the acquiring provider: payments created and fetched over HTTPS.

Protocol (https://yookassa.ru/developers/api): POST /v3/payments with HTTP Basic auth
(shopId:secretKey) and an `Idempotence-Key` header creates a payment and returns its
`confirmation.confirmation_url`; GET /v3/payments/{id} returns the payment as YooKassa
knows it. Notifications are only a hint to fetch: their body is never trusted.

YooKassa sends notifications from the addresses in `NOTIFICATION_SOURCES`
(https://yookassa.ru/developers/using-api/webhooks, "IP addresses"); a fetch is one
short request, because the verifier that makes it retries later on its own (ADR 0053).
"""

from __future__ import annotations

import time
from decimal import Decimal, InvalidOperation
from typing import Any

import httpx

from lk_core.kernel.errors import NotFound
from lk_core.kernel.money import Money
from lk_core.payments.crediting import PaymentNews
from lk_core.payments.errors import PaymentMismatch, ProviderUnavailable
from lk_core.payments.orders import OrderStatus, PaymentOrder, ProviderStart

STATUSES = {
    "pending": OrderStatus.PENDING,
    "waiting_for_capture": OrderStatus.PENDING,
    "succeeded": OrderStatus.SUCCEEDED,
    "canceled": OrderStatus.CANCELED,
}
ATTEMPTS = 3  # a 5xx or a timeout is retried with the same Idempotence-Key
NOTIFICATION_SOURCES = (
    "185.71.76.0/27",
    "185.71.77.0/27",
    "77.75.153.0/25",
    "77.75.156.11",
    "77.75.156.35",
    "77.75.154.128/25",
    "2a02:5180::/32",
)
FETCH_TIMEOUT = httpx.Timeout(5.0, connect=2.0)


def _receipt(order: PaymentOrder, amount: dict[str, str]) -> dict[str, Any]:
    """The fiscal receipt (54-ФЗ) YooKassa e-mails the payer: one line, housing services."""
    return {
        "customer": {"email": order.email},
        "items": [
            {
                "description": f"Оплата ЖКУ, лицевой счёт {order.account_key}"[:128],
                "quantity": "1.00",
                "amount": amount,
                "vat_code": 1,
                "payment_mode": "full_payment",
                "payment_subject": "service",
            }
        ],
    }


class YooKassaProvider:
    """The acquiring provider; `api_url` is https://api.yookassa.ru unless testing."""

    confirms = True
    takes_readings = False

    def __init__(
        self,
        shop_id: str,
        secret_key: str,
        *,
        api_url: str = "https://api.yookassa.ru",
        timeout: float = 10.0,
        code: str = "yookassa",
        name: str = "Банковская карта (ЮKassa)",
        retry_pause: float = 0.5,
        receipts: bool = True,
        fetch_timeout: httpx.Timeout = FETCH_TIMEOUT,
    ) -> None:
        self._receipts = receipts
        self.code = code
        self.name = name
        self._api_url = api_url.rstrip("/")
        self._auth = httpx.BasicAuth(shop_id, secret_key)
        self._timeout = timeout
        self._fetch_timeout = fetch_timeout
        self._retry_pause = retry_pause

    def start(self, order: PaymentOrder, return_url: str) -> ProviderStart:
        amount = {"value": f"{order.amount.to_decimal():.2f}", "currency": "RUB"}
        body: dict[str, Any] = {
            "amount": amount,
            "confirmation": {"type": "redirect", "return_url": return_url},
            "capture": True,
            "description": f"Лицевой счёт {order.account_key}"[:128],
            "metadata": {"order_id": order.id, "account": order.account_key},
        }
        if order.email and self._receipts:
            body["receipt"] = _receipt(order, amount)
        reply = self._call("POST", "/v3/payments", body, idempotence_key=order.id)
        try:
            return ProviderStart(reply["confirmation"]["confirmation_url"], reply["id"])
        except (KeyError, TypeError) as error:
            raise ProviderUnavailable(self.name, f"ответ без ссылки на оплату: {error}") from None

    def fetch(self, provider_payment_id: str) -> PaymentNews:
        if not provider_payment_id or "/" in provider_payment_id:
            raise ProviderUnavailable(self.name, "неверный номер платежа")
        reply = self._call(
            "GET", f"/v3/payments/{provider_payment_id}", None,
            attempts=1, timeout=self._fetch_timeout,
        )  # fmt: skip
        return self._news(reply)

    def _news(self, reply: dict[str, Any]) -> PaymentNews:
        try:
            metadata = reply.get("metadata") or {}
            order_id = str(metadata["order_id"])
            amount = reply["amount"]
            value = Money.from_decimal(Decimal(str(amount["value"])))
            status = STATUSES[reply["status"]]
            payment_id = str(reply["id"])
        except (KeyError, TypeError, InvalidOperation, ValueError) as error:
            raise ProviderUnavailable(self.name, f"непонятный ответ: {error!r}") from None
        if amount.get("currency") != "RUB":
            raise PaymentMismatch(order_id, f"валюта {amount.get('currency')}")
        return PaymentNews(
            order_id=order_id,
            account_key=str(metadata.get("account", "")),
            amount=value,
            status=status,
            provider_payment_id=payment_id,
        )

    def _call(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None,
        idempotence_key: str = "",
        *,
        attempts: int = ATTEMPTS,
        timeout: float | httpx.Timeout | None = None,
    ) -> dict[str, Any]:
        headers = {"Idempotence-Key": idempotence_key} if idempotence_key else {}
        problem = ""
        for attempt in range(attempts):
            if attempt:
                time.sleep(self._retry_pause * attempt)
            try:
                response = httpx.request(
                    method,
                    self._api_url + path,
                    json=body,
                    headers=headers,
                    auth=self._auth,
                    timeout=self._timeout if timeout is None else timeout,
                )
            except httpx.HTTPError as error:
                problem = f"{type(error).__name__}: {error}"
                continue
            if response.status_code >= 500:
                problem = f"HTTP {response.status_code}"
                continue
            if response.status_code == 404:
                raise NotFound("provider_payment", path)
            if response.status_code != 200:
                raise ProviderUnavailable(
                    self.name, f"HTTP {response.status_code}: {response.text[:200]}"
                )
            try:
                reply = response.json()
            except ValueError:
                raise ProviderUnavailable(self.name, "ответ не JSON") from None
            if not isinstance(reply, dict):
                raise ProviderUnavailable(self.name, "ответ не объект JSON")
            return reply
        raise ProviderUnavailable(self.name, problem)
