"""An account's state for the call centre (F28): the period's settlements and whether the
resident registered in the portal. Every view is audited with the key that asked."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import msgspec
from litestar import Controller, Response, get
from litestar.params import Parameter

from lk_core.kernel.errors import DomainError
from lk_core.kernel.periods import Period
from lk_core.messaging.notices import masked_email
from lk_core.service_api import AccountState, Scope, account_state
from lk_web.api.etag import json_read
from lk_web.api.money import MoneyText, money_text
from lk_web.api.openapi import SERVICE_KEY
from lk_web.api.problems import ApiProblem
from lk_web.api.service.auth import SCOPE, caller_key
from lk_web.api.service.common import KEY_REFUSALS, TAGS, in_thread, refusals, wiring_of
from lk_web.api.service.wiring import ServiceWiring
from lk_web.client import AnyRequest
from lk_web.dependencies import Portal


class ServiceLine(msgspec.Struct, frozen=True):
    """One service's settlement in the period."""

    service_code: str
    service_name: str
    opening: MoneyText
    charged: MoneyText
    recalculation: MoneyText
    paid: MoneyText
    closing: MoneyText


class RegistrationOut(msgspec.Struct, frozen=True):
    """The resident's registration in the portal: never a password, e-mail and phone masked."""

    status: str
    method: str
    registered_at: dt.datetime
    confirmed_at: dt.datetime | None
    email: str
    phone: str | None


class AccountStateOut(msgspec.Struct, frozen=True):
    """An account's settlements in a period (null without a ledger yet) and its registration
    (null when the resident never registered)."""

    number: str
    payer: str
    address: str
    period: str | None
    periods: list[str]
    opening: MoneyText | None
    charged: MoneyText | None
    recalculation: MoneyText | None
    paid: MoneyText | None
    closing: MoneyText | None
    lines: list[ServiceLine]
    registration: RegistrationOut | None


def _out(state: AccountState) -> AccountStateOut:
    view, registration = state.settlements, state.registration
    settlement = view.settlement

    def amount(name: str) -> str | None:
        return None if settlement is None else money_text(getattr(settlement, name))

    return AccountStateOut(
        number=str(view.account.number),
        payer=view.account.payer_name,
        address=state.address,
        period=None if view.period is None else str(view.period),
        periods=[str(period) for period in view.periods],
        opening=amount("opening"),
        charged=amount("charged"),
        recalculation=amount("recalculation"),
        paid=amount("paid"),
        closing=amount("closing"),
        lines=[
            ServiceLine(
                line.line.service_code,
                line.service_name,
                money_text(line.opening),
                money_text(line.charged),
                money_text(line.recalculation),
                money_text(line.paid),
                money_text(line.line.closing),
            )
            for line in view.lines
        ],
        registration=None
        if registration is None
        else RegistrationOut(
            status=registration.status.value,
            method=registration.method.value,
            registered_at=registration.created_at,
            confirmed_at=registration.confirmed_at,
            email=masked_email(str(registration.email)),
            phone=None if registration.phone is None else registration.phone.masked(),
        ),
    )


def _state(
    request: AnyRequest, wiring: ServiceWiring, number: str, period: str | None
) -> Response[Any]:
    key = caller_key(request)
    chosen: Period | None = None
    if period is not None:
        try:
            chosen = Period.parse(period)
        except DomainError as error:
            raise ApiProblem.invalid_field("period", f"Поле «period»: {error.message_ru}") from None
    state = account_state(wiring.uow_factory, wiring.clock, key, number, chosen)
    return json_read(request, _out(state))


class ServiceAccountsController(Controller):
    path = "/accounts"
    tags = TAGS

    @get(
        "/{number:str}",
        summary="Состояние лицевого счёта для колл-центра",
        security=SERVICE_KEY,
        opt={SCOPE: Scope.ACCOUNTS_READ},
        responses=refusals(*KEY_REFUSALS, 404),
    )
    async def state(
        self,
        request: AnyRequest,
        portal: Portal,
        number: Annotated[str, Parameter(description="Номер лицевого счёта", max_length=32)],
        period: Annotated[
            str | None, Parameter(description="Период, ГГГГ-ММ (по умолчанию последний)")
        ] = None,
    ) -> Response[AccountStateOut]:
        """Начисления и оплаты периода по услугам, итоги и регистрация жителя в личном
        кабинете (e-mail и телефон скрыты частично). Каждый просмотр записывается в журнал
        аудита. Область доступа: `accounts:read`."""
        return await in_thread(_state, request, wiring_of(portal), number, period)
