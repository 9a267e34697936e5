"""The resident's accounts, and each account's settlements, receipts and payment QR code
(F9, F11, F20), read by the main page's own use cases."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated
from urllib.parse import quote

import msgspec
from litestar import Controller, Response, get
from litestar.params import PathParameter, QueryParameter

from lk_core.home.account_settlements import read_account_settlements
from lk_core.kernel.errors import NotFound
from lk_core.kernel.periods import Period
from lk_core.ledger.settlements import SettlementView, settlement_page
from lk_core.receipts.resident_receipts import open_receipt, receipts_panel
from lk_web.api.auth import (
    TOKEN_ONLY,
    AccountKey,
    Holder,
    Owned,
    bearer_token,
    not_signed_in,
    settled_holder,
)
from lk_web.api.cursor import Cursor, CursorPage, Limit, page_of
from lk_web.api.etag import bytes_read, json_read
from lk_web.api.money import MoneyText, money_text
from lk_web.api.openapi import BEARER
from lk_web.api.problems import ApiProblem, problem_responses
from lk_web.client import AnyRequest
from lk_web.dependencies import Portal
from lk_web.reads import read

PERIOD_PATTERN = r"^[0-9]{4}-[0-9]{2}$"
PeriodQuery = Annotated[
    str | None,
    QueryParameter(
        pattern=PERIOD_PATTERN, description="Расчётный период ГГГГ-ММ; без него — последний"
    ),
]
PeriodPath = Annotated[str, PathParameter(pattern=PERIOD_PATTERN, description="Период ГГГГ-ММ")]


def period_of(text: str | None, field: str = "period") -> Period | None:
    """A period a client named; one that is not a month is refused naming the field."""
    if not text:
        return None
    try:
        return Period.parse(text)
    except Exception:
        raise ApiProblem.invalid_field(
            field, f"Поле «{field}»: период пишется как ГГГГ-ММ, например 2025-03"
        ) from None


class AccountOut(msgspec.Struct, frozen=True):
    """Лицевой счёт, доступный жителю: свой или привязанный."""

    key: str
    number: str
    payer_name: str
    flat: str
    own: bool


class ServiceLine(msgspec.Struct, frozen=True):
    """Расчёт по одной услуге за период."""

    service_code: str
    service_name: str
    unit: str
    volume: str | None
    opening: MoneyText
    charged: MoneyText
    recalculation: MoneyText
    paid: MoneyText
    closing: MoneyText


class Totals(msgspec.Struct, frozen=True):
    """Итоги периода; `to_pay` — к оплате."""

    opening: MoneyText
    charged: MoneyText
    recalculation: MoneyText
    paid: MoneyText
    closing: MoneyText
    to_pay: MoneyText


class Settlements(msgspec.Struct, frozen=True):
    """Расчёты лицевого счёта за период и периоды, которые можно выбрать."""

    account: str
    period: str | None
    periods: list[str]
    lines: list[ServiceLine]
    totals: Totals | None


class Receipt(msgspec.Struct, frozen=True):
    """Квитанция закрытого месяца (PDF по ссылке `href`)."""

    period: str
    href: str


class PaymentQr(msgspec.Struct, frozen=True):
    """Текст QR-кода оплаты (ГОСТ Р 56042) за период: его показывают банковскому приложению."""

    period: str
    amount: MoneyText
    payload: str


def _volume(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def settlements_of(view: SettlementView) -> Settlements:
    totals = None
    if view.settlement is not None:
        s = view.settlement
        totals = Totals(
            money_text(s.opening), money_text(s.charged), money_text(s.recalculation),
            money_text(s.paid), money_text(s.closing), money_text(s.to_pay),
        )  # fmt: skip
    return Settlements(
        account=view.account.key,
        period=str(view.period) if view.period is not None else None,
        periods=[str(p) for p in view.periods],
        lines=[
            ServiceLine(
                line.line.service_code,
                line.service_name,
                line.unit,
                _volume(line.line.volume),
                money_text(line.opening),
                money_text(line.charged),
                money_text(line.recalculation),
                money_text(line.paid),
                money_text(line.closing),
            )
            for line in view.lines
        ],
        totals=totals,
    )


class AccountsController(Controller):
    path = "/accounts"
    tags = ["accounts"]  # noqa: RUF012 - Litestar reads it as the class attribute

    @get("/", summary="Лицевые счета жителя", security=BEARER, responses=problem_responses(401))
    async def accounts(
        self, request: AnyRequest, holder: Holder, cursor: Cursor = None, limit: Limit = 50
    ) -> Response[CursorPage[AccountOut]]:
        """Свой лицевой счёт и привязанные; `key` — адрес счёта в остальных запросах."""
        own = holder.registration_key
        found = [
            AccountOut(a.key, str(a.number), a.payer_name, a.flat, a.key == own)
            for a in holder.accounts.choices
        ]
        return json_read(request, page_of(found, lambda a: a.key, cursor, limit))

    @get(
        "/{account:str}/settlements", summary="Расчёты за период", security=BEARER,
        responses=problem_responses(401, 404), opt=TOKEN_ONLY,
    )  # fmt: skip
    async def settlements(
        self,
        request: AnyRequest,
        portal: Portal,
        account: AccountKey,
        period: PeriodQuery = None,
    ) -> Response[Settlements]:
        """Начислено, оплачено и долг или аванс по каждой услуге, как на главной странице."""
        token = bearer_token(request)
        if token is None:
            raise not_signed_in()
        # The token and the settlements in one read, as the main page does (ADR 0032).
        found = await read(
            portal, read_account_settlements, portal.home, token, account, period_of(period)
        )
        await settled_holder(portal, found.visitor, token)
        if found.settlements is None:
            raise not_signed_in()
        return json_read(request, settlements_of(found.settlements))

    @get(
        "/{account:str}/receipts", summary="Квитанции последних закрытых месяцев",
        security=BEARER, responses=problem_responses(401, 404),
    )  # fmt: skip
    async def receipts(
        self,
        request: AnyRequest,
        portal: Portal,
        owned: Owned,
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> Response[CursorPage[Receipt]]:
        """Те же месяцы, что на главной странице, новые первыми."""
        key = owned.key
        view = await read(portal, settlement_page, portal.ledger, key, None)
        panel = receipts_panel(portal.receipts, portal.receipt_store, portal.company, view)
        found = [Receipt(str(p), f"/api/v1/accounts/{key}/receipts/{p}") for p in panel.periods]
        return json_read(request, page_of(found, lambda r: r.period, cursor, limit))

    @get(
        "/{account:str}/receipts/{period:str}", summary="Квитанция за месяц (PDF)",
        security=BEARER, responses=problem_responses(401, 404), media_type="application/pdf",
        sync_to_thread=True,
    )  # fmt: skip
    def receipt(
        self,
        request: AnyRequest,
        portal: Portal,
        owned: Owned,
        period: PeriodPath,
    ) -> Response[bytes]:
        """PDF квитанции; открыть можно только месяцы из списка квитанций."""
        key = owned.key
        month = period_of(period)
        if month is None:
            raise NotFound("receipt", period)
        pdf, filename = open_receipt(portal.receipts, portal.receipt_store, key, month)
        ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_")
        disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
        return bytes_read(request, pdf, "application/pdf", {"Content-Disposition": disposition})

    @get(
        "/{account:str}/payment-qr", summary="QR-код оплаты за период", security=BEARER,
        responses=problem_responses(401, 404),
    )  # fmt: skip
    async def payment_qr(
        self,
        request: AnyRequest,
        portal: Portal,
        owned: Owned,
        period: PeriodQuery = None,
    ) -> Response[PaymentQr]:
        """Текст QR-кода на сумму к оплате за период, как на главной странице; у счёта без
        расчётов за период кода нет — 404."""
        key = owned.key
        view = await read(portal, settlement_page, portal.ledger, key, period_of(period))
        panel = receipts_panel(portal.receipts, portal.receipt_store, portal.company, view)
        if panel.payment is None or panel.payload is None or view.period is None:
            raise NotFound("payment_qr", key)
        amount = view.settlement.to_pay if view.settlement is not None else None
        if amount is None:
            raise NotFound("payment_qr", key)
        return json_read(request, PaymentQr(str(view.period), money_text(amount), panel.payload))
