"""`lk payments verify`: the verifier of provider notifications as a process of its own
(ADR 0053), for deployments that do not verify in the web process."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from access_fixtures import IVANOV, load_accounts, some_accounts
from lk_adapters.container import build_container
from lk_adapters.settings import load_settings
from lk_adapters.sqlalchemy.migrations import upgrade_database
from lk_cli.main import cli
from lk_core.kernel.money import Money
from lk_core.payments.online_payment import PaymentForm, start_payment
from lk_core.payments.verification import record_notification
from yookassa_server import SECRET_KEY, SHOP_ID, ProtocolServer, yookassa_server

UNKNOWN = "2d9a1c3e-000f-5000-9000-1b68e7b15f3f"


@pytest.fixture
def server() -> Iterator[ProtocolServer]:
    with yookassa_server() as running:
        yield running


@pytest.fixture
def env(tmp_path: Path, server: ProtocolServer) -> dict[str, str]:
    return {
        "LK_DEMO": "1",
        "LK_DATABASE_URL": f"sqlite:///{tmp_path / 'lk.sqlite3'}",
        "LK_PAYMENTS_YOOKASSA_SHOP_ID": SHOP_ID,
        "LK_PAYMENTS_YOOKASSA_SECRET_KEY": SECRET_KEY,
        "LK_PAYMENTS_YOOKASSA_API_URL": server.url,
        "LK_PAYMENTS_VERIFY_IN_PROCESS": "false",
    }


def run(env: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def notifications_stored_by_the_web(env: dict[str, str], server: ProtocolServer) -> None:
    """Ivanov pays 1 500 ₽ by card; YooKassa's notification about it, and a forged one
    about a payment nobody made, are stored as the web process stores them."""
    container = build_container(load_settings(env))
    upgrade_database(container.engine())
    load_accounts(container.uow_factory(), some_accounts())
    payments = container.payments()
    start_payment(payments, IVANOV, PaymentForm("yookassa", "1500"))
    with container.uow_factory()() as uow:
        [order] = uow.payment_orders.of_account(IVANOV, 1)
    server.book.finish(order.provider_payment_id, succeeded=True)
    record_notification(payments, "yookassa", order.provider_payment_id)
    record_notification(payments, "yookassa", UNKNOWN)
    container.engine().dispose()


def credited(env: dict[str, str]) -> list[Money]:
    container = build_container(load_settings(env))
    with container.uow_factory()() as uow:
        amounts = [p.amount for p in uow.payments.of_account(IVANOV)]
    container.engine().dispose()
    return amounts


def test_once_verifies_what_is_due_credits_the_paid_and_drops_the_unknown(
    env: dict[str, str], server: ProtocolServer
) -> None:
    notifications_stored_by_the_web(env, server)

    first = run(env, "payments", "verify", "--once")
    again = run(env, "payments", "verify", "--once")

    assert first.exit_code == 0, first.output
    assert "зачислен" in first.output
    assert f"yookassa {UNKNOWN}: неизвестный платёж" in first.output
    assert "Проверено уведомлений: 2." in first.output
    assert "Проверено уведомлений: 0." in again.output
    assert credited(env) == [Money(150_000)]


def test_a_bad_callback_setting_is_a_configuration_error(env: dict[str, str]) -> None:
    result = CliRunner().invoke(
        cli, ["payments", "verify", "--once"], env={**env, "LK_PAYMENTS_CALLBACK_SOURCES": "x"}
    )

    assert result.exit_code == 2
    assert "LK_PAYMENTS_CALLBACK_SOURCES" in result.output
