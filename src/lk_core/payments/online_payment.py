"""Online payment (F12): an order stored before the redirect, confirmed only by the provider.

The browser's return shows the order's status and never changes it; only a provider's
callback, verified by fetching the payment from the provider, or a bank registry does
(SECURITY.md, "Payments").
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

import attrs

from lk_core.accounts.contacts import Email
from lk_core.kernel.errors import InvalidValue, NotFound
from lk_core.kernel.money import Money
from lk_core.kernel.read_ahead import expect
from lk_core.kernel.runtime import Clock
from lk_core.kernel.transaction import UnitOfWorkFactory
from lk_core.ledger.settlements import SettlementView
from lk_core.payments.callback_gate import CallbackGate
from lk_core.payments.crediting import Decision, Effect, decide
from lk_core.payments.errors import ProviderUnavailable
from lk_core.payments.orders import OrderStatus, PaymentOrder
from lk_core.payments.payment import Payment
from lk_core.payments.ports import PaymentHistoryReads, PaymentProvider, PaymentsUnitOfWork

HISTORY_LENGTH = 50
RECENT_ORDERS = 5  # the main page's «Оплатить» panel


@attrs.frozen
class PaymentContext:
    """The adapters online payment needs, bundled once by the composition root."""

    uow_factory: UnitOfWorkFactory[PaymentsUnitOfWork]
    clock: Clock
    providers: tuple[PaymentProvider, ...]
    return_url: Callable[[str], str]  # an order's id → the portal's page of its status
    # Which provider callbacks are listened to (ADR 0053); by default none.
    callback_gate: CallbackGate = attrs.field(factory=CallbackGate)
    # Called after a notification is stored, to wake a verifier waiting in this process.
    notified: Callable[[], None] = attrs.field(default=lambda: None)

    def provider(self, code: str) -> PaymentProvider:
        for provider in self.providers:
            if provider.code == code:
                return provider
        raise InvalidValue("provider", code, "Выберите, через какой сервис оплатить")

    @property
    def registry_providers(self) -> frozenset[str]:
        """Providers whose payments come back through bank registries only."""
        return frozenset(p.code for p in self.providers if not p.confirms)


@attrs.frozen
class PaymentForm:
    """The payment choice page as the resident filled it in."""

    provider: str
    amount: str
    email: str = ""
    readings: str = ""
    service_code: str = ""


def start_payment(ctx: PaymentContext, account_key: str, form: PaymentForm) -> str:
    """Store a pending order, then ask its provider where to send the resident (F12).

    `account_key` must come from the session. When the provider cannot be reached the
    order ends canceled and `ProviderUnavailable` is raised.
    """
    return start_payment_order(ctx, account_key, form).url


@attrs.frozen
class StartedOrder:
    """An order stored and started: its id (to ask its status) and the provider's page."""

    order_id: str
    url: str


def start_payment_order(ctx: PaymentContext, account_key: str, form: PaymentForm) -> StartedOrder:
    """`start_payment`, also saying which order it stored (the JSON API asks its status)."""
    provider = ctx.provider(form.provider)
    amount = Money.parse(form.amount) if form.amount.strip() else Money(0)
    email = str(Email.parse(form.email)) if form.email.strip() else ""
    readings = form.readings.strip()[:500] if provider.takes_readings else ""
    with ctx.uow_factory() as uow:
        if uow.accounts.get(account_key) is None:
            raise NotFound("account", account_key)
        codes = {service.code for service in uow.services.list()}
        if form.service_code and form.service_code not in codes:
            raise InvalidValue("service_code", form.service_code, "Нет такой услуги")
        order = PaymentOrder(
            id=uuid.uuid4().hex,
            account_key=account_key,
            provider=provider.code,
            amount=amount,
            created_at=ctx.clock.now(),
            service_code=form.service_code,
            email=email,
            readings=readings,
        )
        uow.payment_orders.add(order)
        uow.commit()
    try:
        started = provider.start(order, ctx.return_url(order.id))
    except ProviderUnavailable:
        _end_unstarted(ctx, order)
        raise
    if started.provider_payment_id:
        with ctx.uow_factory() as uow:
            stored = uow.payment_orders.get(order.id)
            # A callback may have come first (it finds the order by its metadata).
            if stored is not None and not stored.provider_payment_id:
                attached = stored.with_provider_payment(started.provider_payment_id)
                uow.payment_orders.replace(attached, stored.status)
                uow.commit()
    return StartedOrder(order.id, started.url)


def _end_unstarted(ctx: PaymentContext, order: PaymentOrder) -> None:
    with ctx.uow_factory() as uow:
        ended = order.moved_to(OrderStatus.CANCELED, ctx.clock.now(), "provider-unavailable")
        uow.payment_orders.replace(ended, OrderStatus.PENDING)
        uow.commit()


def confirm_from_provider(ctx: PaymentContext, provider_code: str, payment_id: str) -> Effect:
    """A provider said a payment changed: fetch it from the provider and apply what it says.

    The callback's body is not trusted; only the provider's own record counts. Applying
    the same news twice, or news that arrives out of order, credits nothing more.
    """
    provider = ctx.provider(provider_code)
    if not provider.confirms:
        raise NotFound("provider", provider_code)
    news = provider.fetch(payment_id)
    with ctx.uow_factory() as uow:
        order = uow.payment_orders.by_provider_payment(provider.code, payment_id)
        if order is None:
            order = uow.payment_orders.get(news.order_id)
        if order is None or order.provider != provider.code:
            raise NotFound("payment_order", news.order_id)
        decision = decide(order, news, ctx.clock.now(), f"callback:{provider.code}")
        if not store_decision(uow, order, decision):
            return Effect.UNCHANGED
        uow.commit()
    return decision.effect


def store_decision(uow: PaymentsUnitOfWork, before: PaymentOrder, decision: Decision) -> bool:
    """Write a decision; False when there is nothing to write or another writer came first."""
    if decision.effect is Effect.UNCHANGED:
        return False
    if not uow.payment_orders.replace(decision.order, before.status):
        return False
    if decision.payment is not None:
        uow.payments.add_many([decision.payment])
    return True


def order_of(ctx: PaymentContext, account_key: str, order_id: str) -> PaymentOrder:
    """An order of the account; anyone else's is `NotFound`, as is an unknown one."""
    with ctx.uow_factory(read_only=True) as uow:
        order = uow.payment_orders.get(order_id)
    if order is None or order.account_key != account_key:
        raise NotFound("payment_order", order_id)
    return order


@attrs.frozen
class PaymentHistory:
    """An account's portal orders and the payments credited to it, newest first."""

    orders: tuple[PaymentOrder, ...]
    payments: tuple[Payment, ...]


def payment_history(ctx: PaymentContext, account_key: str) -> PaymentHistory:
    with ctx.uow_factory(read_only=True) as uow:
        expect(uow, PaymentHistoryReads(account_key, HISTORY_LENGTH))
        orders = uow.payment_orders.of_account(account_key, HISTORY_LENGTH)
        payments = uow.payments.of_account(account_key)[:HISTORY_LENGTH]
    return PaymentHistory(tuple(orders), tuple(payments))


@attrs.frozen
class PaymentChoice:
    """What the payment choice page offers: what is paid, what is due, and through whom."""

    service_code: str
    service_name: str  # "" pays the total
    due: Money
    providers: tuple[PaymentProvider, ...]


def payment_choice(ctx: PaymentContext, view: SettlementView, service_code: str) -> PaymentChoice:
    """The default amount is what is due: the service's closing balance, or the total's;
    an advance or a settled balance is due nothing (the resident may still pay ahead)."""
    if not service_code:
        due = view.settlement.to_pay if view.settlement else Money(0)
        return PaymentChoice("", "", due, ctx.providers)
    for line in view.lines:
        if line.line.service_code == service_code:
            due = line.closing if line.closing.kopecks > 0 else Money(0)
            return PaymentChoice(service_code, line.service_name, due, ctx.providers)
    raise NotFound("service", service_code)


def recent_orders(
    ctx: PaymentContext, account_key: str, limit: int = RECENT_ORDERS
) -> tuple[PaymentOrder, ...]:
    """The main page's few newest orders, pending ones shown as such."""
    with ctx.uow_factory(read_only=True) as uow:
        return tuple(uow.payment_orders.of_account(account_key, limit))
