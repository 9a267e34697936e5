"""Online payment (F12): create an order (answers the provider's page to open), then ask
its status; by the payment page's own use cases. Coming back never marks an order paid:
only the provider's confirmation does (ADR 0025)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec
import structlog
from litestar import Controller, Response, get, post
from litestar.concurrency import sync_to_thread
from litestar.params import JSONBody, PathParameter

from lk_core.payments.errors import ProviderUnavailable
from lk_core.payments.online_payment import PaymentForm, order_of, start_payment_order
from lk_core.payments.orders import PaymentOrder
from lk_web.api.auth import Holder, Owned
from lk_web.api.etag import json_read
from lk_web.api.idempotent import IDEMPOTENT_REFUSALS, IdempotencyKey, resident_once
from lk_web.api.money import MoneyText, money_of, money_text
from lk_web.api.openapi import BEARER
from lk_web.api.problems import ApiProblem, problem_responses
from lk_web.client import AnyRequest
from lk_web.dependencies import Portal

log = structlog.get_logger()
OrderId = Annotated[str, PathParameter(max_length=64, description="Заказ (`id`)")]


class OrderIn(msgspec.Struct, frozen=True):
    """Оплата: через кого (`provider`), сколько и за что (`service_code`; пусто — всё)."""

    provider: Annotated[str, msgspec.Meta(max_length=32, examples=["yookassa"])]
    amount: MoneyText
    email: Annotated[str, msgspec.Meta(max_length=254)] = ""
    service_code: Annotated[str, msgspec.Meta(max_length=32)] = ""
    readings: Annotated[str, msgspec.Meta(max_length=500)] = ""


class OrderOut(msgspec.Struct, frozen=True):
    """Заказ на оплату и его состояние, как его знает личный кабинет."""

    id: str
    account: str
    provider: str
    amount: MoneyText
    service_code: str
    status: str
    status_name: str
    created_at: dt.datetime
    confirmed_at: dt.datetime | None


class StartedOut(msgspec.Struct, frozen=True):
    """Заказ создан: откройте `redirect_url` (страница платёжного сервиса)."""

    order: OrderOut
    redirect_url: str


def order_out(order: PaymentOrder) -> OrderOut:
    return OrderOut(
        order.id, order.account_key, order.provider, money_text(order.amount),
        order.service_code, order.status.value, order.status.label_ru, order.created_at,
        order.confirmed_at,
    )  # fmt: skip


class PaymentsController(Controller):
    path = "/accounts/{account:str}/payment-orders"
    tags = ["payments"]  # noqa: RUF012 - Litestar reads it as the class attribute

    @post(
        "/", summary="Создать заказ на оплату", security=BEARER, status_code=201,
        responses=problem_responses(401, 404, 503, *IDEMPOTENT_REFUSALS),
    )  # fmt: skip
    async def create(
        self,
        request: AnyRequest,
        portal: Portal,
        holder: Holder,
        owned: Owned,
        data: JSONBody[OrderIn],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[StartedOut]:
        """Сохраняет заказ и получает у платёжного сервиса адрес страницы оплаты. Повтор
        с тем же `Idempotency-Key` отвечает тем же заказом, а не создаёт второй."""
        key = owned.key
        amount = money_of(data.amount, "amount")
        form = PaymentForm(
            data.provider, f"{amount.kopecks // 100}.{amount.kopecks % 100:02d}",
            data.email, data.readings, data.service_code,
        )  # fmt: skip

        def run() -> Response[StartedOut]:
            try:
                started = start_payment_order(portal.payments, key, form)
            except ProviderUnavailable as error:
                log.warning(
                    "payment_provider_unavailable", provider=error.provider, detail=error.detail
                )
                raise ApiProblem(503, error.code, error.message_ru) from None
            order = order_of(portal.payments, key, started.order_id)
            return Response(StartedOut(order_out(order), started.url), status_code=201)

        return await resident_once(request, portal, holder, run)

    @get(
        "/{order_id:str}", summary="Состояние заказа", security=BEARER,
        responses=problem_responses(401, 404),
    )  # fmt: skip
    async def status(
        self,
        request: AnyRequest,
        portal: Portal,
        owned: Owned,
        order_id: OrderId,
    ) -> Response[OrderOut]:
        """Оплачен ли заказ; пока платёжный сервис не подтвердил оплату — `pending`."""
        key = owned.key
        order = await sync_to_thread(order_of, portal.payments, key, order_id)
        return json_read(request, order_out(order))
