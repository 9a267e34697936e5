"""Callbacks racing each other and a registry: however many arrive at once, over SQLite
and PostgreSQL, the payment is credited once (the status change is a compare-and-set)."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from lk_core.kernel.money import Money
from lk_core.payments.crediting import Effect
from lk_core.payments.online_payment import confirm_from_provider
from lk_core.unit_of_work import UnitOfWorkFactory
from payment_fixtures import Payments, a_payments_portal
from yookassa_server import ProtocolServer, yookassa_server

RACERS = 8


@pytest.fixture
def server() -> Iterator[ProtocolServer]:
    with yookassa_server() as running:
        yield running


def test_callbacks_arriving_at_once_credit_the_payment_once(
    sql_uow_factory: UnitOfWorkFactory, server: ProtocolServer
) -> None:
    portal: Payments = a_payments_portal(server, sql_uow_factory)
    order_id = portal.pay(amount="1500")
    payment_id = portal.provider_payment(order_id)
    server.book.finish(payment_id, succeeded=True)
    start = threading.Barrier(RACERS)
    effects: list[Effect] = []
    errors: list[BaseException] = []

    def racer() -> None:
        start.wait()
        try:
            effects.append(confirm_from_provider(portal.ctx, "yookassa", payment_id))
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=racer) for _ in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(e.value for e in effects) == ["credited"] + ["unchanged"] * (RACERS - 1)
    assert portal.credited() == [Money(150_000)]
