"""Builders the payment tests share: a payment context over the in-memory store with the
two redirect services and YooKassa's adapter talking to the protocol server."""

from __future__ import annotations

from typing import Any

import attrs

from access_fixtures import IVANOV, PETROVA, MovableClock, load_accounts, some_accounts
from lk_adapters.memory import InMemoryUnitOfWorkFactory
from lk_adapters.payments.redirect import RedirectProvider
from lk_adapters.payments.yookassa import YooKassaProvider
from lk_adapters.portal_unit_of_work import PortalUnitOfWorkFactory
from lk_core.kernel.money import Money
from lk_core.payments.online_payment import PaymentContext, PaymentForm, start_payment
from main_page_fixtures import load_ledger, three_periods_of_rows
from yookassa_server import SECRET_KEY, SHOP_ID, ProtocolServer

GOROD = "https://www.gorod.ru/pay?account={account}&sum={amount}&order={order}"
SBERBANK = "https://online.sberbank.ru/pay/{account}?amount={kopecks}"
BASE_URL = "https://lk.example.ru"

__all__ = ["IVANOV", "PETROVA", "Payments", "a_payments_portal"]


@attrs.define
class Payments:
    ctx: PaymentContext
    clock: MovableClock
    server: ProtocolServer

    @property
    def uow_factory(self) -> PortalUnitOfWorkFactory:
        return self.ctx.uow_factory

    def pay(self, provider: str = "yookassa", amount: str = "1500,00", **form: str) -> str:
        """Start a payment of Ivanov's (or `account`'s); the order's id."""
        account = form.pop("account", IVANOV)
        self.clock.advance(seconds=1)
        start_payment(self.ctx, account, PaymentForm(provider, amount, **form))
        with self.uow_factory() as uow:
            return uow.payment_orders.of_account(account, 1)[0].id

    def provider_payment(self, order_id: str) -> str:
        with self.uow_factory() as uow:
            order = uow.payment_orders.get(order_id)
        assert order is not None
        return order.provider_payment_id

    def credited(self, account: str = IVANOV) -> list[Money]:
        with self.uow_factory() as uow:
            return [p.amount for p in uow.payments.of_account(account)]


def a_payments_portal(
    server: ProtocolServer, uow_factory: PortalUnitOfWorkFactory | None = None, **context: Any
) -> Payments:
    """Ivanov's and Petrova's accounts with three periods each; `context` adds to the
    payment context (`callback_gate`, `notified`)."""
    factory = uow_factory or InMemoryUnitOfWorkFactory()
    load_accounts(factory, some_accounts())
    load_ledger(factory, [*three_periods_of_rows(IVANOV), *three_periods_of_rows(PETROVA)])
    clock = MovableClock()
    providers = (
        RedirectProvider("gorod", "Система Город", GOROD, takes_readings=True),
        RedirectProvider("sberbank", "Сбербанк Онлайн", SBERBANK),
        YooKassaProvider(SHOP_ID, SECRET_KEY, api_url=server.url, timeout=2, retry_pause=0.01),
    )
    ctx = PaymentContext(
        uow_factory=factory,
        clock=clock,
        providers=providers,
        return_url=lambda order_id: f"{BASE_URL}/pay/return/{order_id}",
        **context,
    )
    return Payments(ctx, clock, server)
