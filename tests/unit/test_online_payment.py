"""Online payment (F12): an order is stored before the redirect and only the provider,
asked again by the portal, can confirm it; news of a payment credits it once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from lk_core.kernel.errors import InvalidValue, NotFound
from lk_core.kernel.money import Money
from lk_core.payments.crediting import Effect
from lk_core.payments.errors import PaymentMismatch, ProviderUnavailable
from lk_core.payments.online_payment import (
    PaymentForm,
    confirm_from_provider,
    order_of,
    payment_history,
    start_payment,
)
from lk_core.payments.orders import OrderStatus, PaymentOrder
from payment_fixtures import IVANOV, PETROVA, Payments, a_payments_portal
from yookassa_server import ProtocolServer, yookassa_server


@pytest.fixture
def server() -> Iterator[ProtocolServer]:
    with yookassa_server() as running:
        yield running


@pytest.fixture
def portal(server: ProtocolServer) -> Payments:
    return a_payments_portal(server)


def the_order(portal: Payments, order_id: str) -> PaymentOrder:
    return order_of(portal.ctx, IVANOV, order_id)


def test_a_pending_order_is_stored_before_the_resident_is_sent_to_yookassa(
    portal: Payments, server: ProtocolServer
) -> None:
    url = start_payment(portal.ctx, IVANOV, PaymentForm("yookassa", "1 500,50", "ivanov@mail.ru"))

    [order] = payment_history(portal.ctx, IVANOV).orders
    assert order.status is OrderStatus.PENDING
    assert (order.amount, order.email, order.provider) == (
        Money(150_050), "ivanov@mail.ru", "yookassa",
    )  # fmt: skip
    assert url == f"https://yoomoney.test/checkout/{order.provider_payment_id}"
    assert server.posts()[0][3]["metadata"]["order_id"] == order.id


def test_the_gorod_link_carries_the_account_the_amount_and_the_order(portal: Payments) -> None:
    url = start_payment(portal.ctx, IVANOV, PaymentForm("gorod", "2 000", readings="ХВС 123"))

    [order] = payment_history(portal.ctx, IVANOV).orders
    assert url == f"https://www.gorod.ru/pay?account={IVANOV}&sum=2000.00&order={order.id}"
    assert order.readings == "ХВС 123"


def test_readings_are_kept_only_for_a_service_that_takes_them(portal: Payments) -> None:
    start_payment(portal.ctx, IVANOV, PaymentForm("sberbank", "100", readings="ХВС 123"))

    assert payment_history(portal.ctx, IVANOV).orders[0].readings == ""


@pytest.mark.parametrize(
    ("form", "field"),
    [
        (PaymentForm("yookassa", "0"), "amount"),
        (PaymentForm("yookassa", "сто"), "amount"),
        (PaymentForm("yookassa", "2 000 000"), "amount"),
        (PaymentForm("yookassa", "100", "не почта"), "email"),
        (PaymentForm("bitcoin", "100"), "provider"),
        (PaymentForm("yookassa", "100", service_code="NOPE"), "service_code"),
    ],
)
def test_a_bad_form_is_refused_and_stores_nothing(
    portal: Payments, server: ProtocolServer, form: PaymentForm, field: str
) -> None:
    with pytest.raises(InvalidValue) as raised:
        start_payment(portal.ctx, IVANOV, form)

    assert raised.value.field == field
    assert payment_history(portal.ctx, IVANOV).orders == ()
    assert server.requests == []


def test_when_yookassa_is_down_the_order_ends_unpaid(
    portal: Payments, server: ProtocolServer
) -> None:
    server.fail_next(503, 503, 503)

    with pytest.raises(ProviderUnavailable):
        start_payment(portal.ctx, IVANOV, PaymentForm("yookassa", "100"))

    [order] = payment_history(portal.ctx, IVANOV).orders
    assert (order.status, order.confirmed_by) == (OrderStatus.CANCELED, "provider-unavailable")


def test_a_succeeded_payment_is_credited_once_however_often_it_is_announced(
    portal: Payments, server: ProtocolServer
) -> None:
    order_id = portal.pay(amount="1500")
    payment_id = portal.provider_payment(order_id)
    server.book.finish(payment_id, succeeded=True)

    effects = [confirm_from_provider(portal.ctx, "yookassa", payment_id) for _ in range(3)]

    assert effects == [Effect.CREDITED, Effect.UNCHANGED, Effect.UNCHANGED]
    assert portal.credited() == [Money(150_000)]
    assert the_order(portal, order_id).status is OrderStatus.SUCCEEDED


def test_a_callback_while_the_payment_is_pending_changes_nothing(
    portal: Payments,
) -> None:
    order_id = portal.pay()

    effect = confirm_from_provider(portal.ctx, "yookassa", portal.provider_payment(order_id))

    assert effect is Effect.UNCHANGED
    assert the_order(portal, order_id).status is OrderStatus.PENDING
    assert portal.credited() == []


def test_a_canceled_payment_ends_the_order_unpaid_for_good(
    portal: Payments, server: ProtocolServer
) -> None:
    order_id = portal.pay()
    payment_id = portal.provider_payment(order_id)
    server.book.finish(payment_id, succeeded=False)

    assert confirm_from_provider(portal.ctx, "yookassa", payment_id) is Effect.CANCELED
    assert confirm_from_provider(portal.ctx, "yookassa", payment_id) is Effect.UNCHANGED
    assert the_order(portal, order_id).status is OrderStatus.CANCELED
    assert portal.credited() == []


def test_a_callback_that_comes_before_the_order_knows_its_payment_still_finds_it(
    portal: Payments, server: ProtocolServer
) -> None:
    order_id = portal.pay()
    payment_id = portal.provider_payment(order_id)
    with portal.uow_factory() as uow:  # as if the redirect's second write had not landed yet
        order = uow.payment_orders.get(order_id)
        assert order is not None
        uow.payment_orders.replace(order.with_provider_payment(""), OrderStatus.PENDING)
        uow.commit()
    server.book.finish(payment_id, succeeded=True)

    assert confirm_from_provider(portal.ctx, "yookassa", payment_id) is Effect.CREDITED
    assert the_order(portal, order_id).provider_payment_id == payment_id


def test_a_payment_for_another_amount_than_ordered_is_refused(
    portal: Payments, server: ProtocolServer
) -> None:
    order_id = portal.pay(amount="1500")
    payment_id = portal.provider_payment(order_id)
    server.book.finish(payment_id, succeeded=True)
    server.book._payments[payment_id]["amount"]["value"] = "15.00"

    with pytest.raises(PaymentMismatch):
        confirm_from_provider(portal.ctx, "yookassa", payment_id)

    assert the_order(portal, order_id).status is OrderStatus.PENDING
    assert portal.credited() == []


def test_a_payment_the_provider_does_not_know_cannot_be_confirmed(portal: Payments) -> None:
    with pytest.raises(NotFound):
        confirm_from_provider(portal.ctx, "yookassa", "2d9a1c3e-000f-5000-9000-1b68e7b15f3f")


def test_a_redirect_service_cannot_be_called_back(portal: Payments) -> None:
    with pytest.raises(NotFound):
        confirm_from_provider(portal.ctx, "gorod", "x")


def test_a_resident_sees_only_their_own_orders(portal: Payments) -> None:
    order_id = portal.pay()

    with pytest.raises(NotFound):
        order_of(portal.ctx, PETROVA, order_id)
    assert the_order(portal, order_id).id == order_id
