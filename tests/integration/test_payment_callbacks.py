"""A provider's callback is answered at once and believed only after the portal asks the
provider in the background (ADR 0053), over SQLite and PostgreSQL; a callback from an
address the provider does not send from changes nothing.

Production settings, behind a trusted proxy that names the caller (`X-Forwarded-For`);
YooKassa's API is the protocol server on 127.0.0.1, which can hold its answers back.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from litestar.testing import TestClient

from access_fixtures import IVANOV, PETROVA, load_accounts, some_accounts
from conftest import SQL_DATABASES, empty_database
from lk_adapters.container import Container, build_container
from lk_adapters.settings import load_settings
from lk_adapters.sqlalchemy.migrations import upgrade_database
from lk_core.kernel.money import Money
from lk_core.payments.online_payment import PaymentForm, start_payment
from lk_core.payments.orders import OrderStatus
from lk_web.app import create_app
from main_page_fixtures import load_ledger, three_periods_of_rows
from personal_site import non_demo_settings
from yookassa_server import SECRET_KEY, SHOP_ID, ProtocolServer, yookassa_server

WEBHOOK = "/api/v1/payments/callbacks/yookassa"
YOOKASSA_ADDRESS = "77.75.156.11"  # one of the addresses YooKassa publishes
ELSEWHERE = "198.51.100.23"
ANSWER_SECONDS = 1.0
VERIFIED_SECONDS = 15.0


@pytest.fixture
def server() -> Iterator[ProtocolServer]:
    with yookassa_server() as running:
        yield running


@pytest.fixture(params=SQL_DATABASES)
def portal(
    request: pytest.FixtureRequest, tmp_path: Path, server: ProtocolServer
) -> Iterator[tuple[TestClient, Container]]:  # type: ignore[type-arg]
    """The portal with its verifier running in the web process, as deployed by default."""
    with empty_database(request.param, tmp_path) as engine:
        env = {
            **non_demo_settings(),
            "LK_DATABASE_URL": engine.url.render_as_string(hide_password=False),
            "LK_BEHIND_PROXY": "true",
            "LK_PAYMENTS_YOOKASSA_SHOP_ID": SHOP_ID,
            "LK_PAYMENTS_YOOKASSA_SECRET_KEY": SECRET_KEY,
            "LK_PAYMENTS_YOOKASSA_API_URL": server.url,
            "LK_PAYMENTS_YOOKASSA_TIMEOUT": "2",
        }
        container = build_container(load_settings(env))
        upgrade_database(container.engine())
        load_accounts(container.uow_factory(), some_accounts())
        load_ledger(
            container.uow_factory(),
            [*three_periods_of_rows(IVANOV), *three_periods_of_rows(PETROVA)],
        )
        try:
            with TestClient(app=create_app(container)) as client:
                yield client, container
        finally:
            container.engine().dispose()


def a_paid_order(container: Container, server: ProtocolServer) -> tuple[str, str]:
    """(order id, YooKassa's payment id) of a payment Ivanov has made on YooKassa's page."""
    start_payment(container.payments(), IVANOV, PaymentForm("yookassa", "1500"))
    with container.uow_factory()() as uow:
        [order] = uow.payment_orders.of_account(IVANOV, 1)
    server.book.finish(order.provider_payment_id, succeeded=True)
    return order.id, order.provider_payment_id


def notify(client: TestClient, payment_id: str, source: str) -> tuple[int, float]:  # type: ignore[type-arg]
    """Post YooKassa's notification as `source`: the status, and how long the answer took."""
    body = {"type": "notification", "event": "payment.succeeded",
            "object": {"id": payment_id, "status": "succeeded"}}  # fmt: skip
    started = time.monotonic()
    answer = client.post(WEBHOOK, json=body, headers={"X-Forwarded-For": source})
    return answer.status_code, time.monotonic() - started


def credited(container: Container) -> list[Money]:
    with container.uow_factory()() as uow:
        return [p.amount for p in uow.payments.of_account(IVANOV)]


def order_status(container: Container, order_id: str) -> OrderStatus:
    with container.uow_factory()() as uow:
        order = uow.payment_orders.get(order_id)
    assert order is not None
    return order.status


def verification_waits(container: Container, payment_id: str) -> bool:
    with container.uow_factory()() as uow:
        return uow.payment_verifications.get("yookassa", payment_id) is not None


def eventually(condition: Callable[[], bool], seconds: float = VERIFIED_SECONDS) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_a_genuine_notification_is_answered_at_once_and_credited_once_after_verification(
    portal: tuple[TestClient, Container],  # type: ignore[type-arg]
    server: ProtocolServer,
) -> None:
    client, container = portal
    order_id, payment_id = a_paid_order(container, server)
    server.hold_fetches()

    status, seconds = notify(client, payment_id, YOOKASSA_ADDRESS)

    assert (status, seconds < ANSWER_SECONDS) == (200, True)
    assert order_status(container, order_id) is OrderStatus.PENDING
    assert eventually(lambda: len(server.fetches()) == 1)  # the verifier asks, and waits
    assert credited(container) == []
    server.release_fetches()
    assert eventually(lambda: order_status(container, order_id) is OrderStatus.SUCCEEDED)
    assert credited(container) == [Money(150_000)]
    for _ in range(3):
        assert notify(client, payment_id, YOOKASSA_ADDRESS)[0] == 200
    assert eventually(lambda: not verification_waits(container, payment_id))
    assert credited(container) == [Money(150_000)]


def test_a_notification_from_outside_the_providers_addresses_changes_nothing(
    portal: tuple[TestClient, Container],  # type: ignore[type-arg]
    server: ProtocolServer,
) -> None:
    client, container = portal
    order_id, payment_id = a_paid_order(container, server)

    answers = {notify(client, payment_id, ELSEWHERE)[0] for _ in range(3)}
    time.sleep(1.5)  # longer than the verifier's wait between looks at the table

    assert answers == {403}
    assert server.fetches() == []
    assert order_status(container, order_id) is OrderStatus.PENDING
    assert credited(container) == []
