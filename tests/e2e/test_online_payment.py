"""Online payment in the browser (F12), through the demo acquirer that speaks YooKassa's
API on the portal itself: pay from the main page, come back to the status, see it paid;
the same payment arriving again by callback and by bank registry changes nothing."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

import pytest

from .accessibility import assert_focus_is_visible_at_every_tab_stop
from .conftest import lk_command
from .portal import (
    DESKTOP,
    DemoAccount,
    Portal,
    Screenshots,
    expect,
    page_width,
    register_by_email,
)

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page

pytestmark = pytest.mark.e2e

CARD = "Банковская карта (демо-эквайринг)"
FINGER = 44


def database(portal: Portal) -> str:
    return str(portal.demo_folder.parent / "lk.sqlite3")


def the_order(portal: Portal, account: DemoAccount) -> tuple[str, str, int, str]:
    """(id, provider payment id, amount in kopecks, status) of the account's newest order."""
    with sqlite3.connect(database(portal)) as db:
        row = db.execute(
            "SELECT id, provider_payment_id, amount, status FROM payment_orders "
            "WHERE account_key = ? ORDER BY created_at DESC LIMIT 1",
            (account.digits,),
        ).fetchone()
    assert row is not None, "no payment order was stored"
    return row


def credited(portal: Portal, account: DemoAccount) -> list[tuple[str, int]]:
    with sqlite3.connect(database(portal)) as db:
        return db.execute(
            "SELECT channel, amount FROM payments WHERE account_key = ? AND channel != 'billing'",
            (account.digits,),
        ).fetchall()


def choose_and_pay(page: Page, provider: str, amount: str) -> None:
    """From the main page's «Оплатить» panel: the provider, the amount, «Перейти к оплате»."""
    page.goto("/home")
    panel = page.locator("section#pay")
    panel.get_by_role("link", name="Оплатить", exact=False).first.click()
    expect(page.get_by_role("heading", name="Оплатить онлайн")).to_be_visible()
    page.get_by_label(provider).check()
    page.get_by_label("Сумма, ₽").fill(amount)


def assert_fits(page: Page) -> None:
    width = page.viewport_size["width"] if page.viewport_size else DESKTOP["width"]
    assert page_width(page) <= width, f"{page.url} scrolls sideways"


def test_a_resident_pays_by_card_and_sees_the_payment_in_the_settlements(
    screen: BrowserContext, account: DemoAccount, portal: Portal, shots: Screenshots
) -> None:
    page = screen.new_page()
    register_by_email(screen, page, account, shots)
    choose_and_pay(page, CARD, "1 234,56")
    shots(page, "choose")
    assert_fits(page)
    button = page.get_by_role("button", name="Перейти к оплате")
    box = button.bounding_box()
    assert box is not None
    assert box["height"] >= FINGER

    button.click()
    expect(page.get_by_role("heading", name="Демо-оплата картой")).to_be_visible()
    expect(page.get_by_text("1234.56 RUB")).to_be_visible()
    shots(page, "demo-checkout")
    page.get_by_role("button", name="Оплатить (демо)").click()

    expect(page.get_by_role("heading", name="Платёж получен")).to_be_visible()
    shots(page, "paid")
    assert_fits(page)
    page.goto("/home")
    pay_panel = page.locator("section#pay")
    expect(pay_panel.get_by_text("1\u00a0234,56\u00a0₽")).to_be_visible()
    expect(pay_panel.get_by_role("link", name="оплачено")).to_be_visible()
    shots(page, "home-paid")
    assert_fits(page)
    assert credited(portal, account) == [("portal", 123_456)]


def test_the_same_payment_again_by_callback_and_by_registry_changes_nothing(
    context: BrowserContext, page: Page, account: DemoAccount, portal: Portal, shots: Screenshots
) -> None:
    register_by_email(context, page, account, shots)
    choose_and_pay(page, CARD, "500")
    page.get_by_role("button", name="Перейти к оплате").click()
    page.get_by_role("button", name="Оплатить (демо)").click()
    expect(page.get_by_role("heading", name="Платёж получен")).to_be_visible()
    order_id, payment_id, amount, status = the_order(portal, account)
    assert (amount, status) == (50_000, "succeeded")

    notification = {"type": "notification", "event": "payment.succeeded",
                    "object": {"id": payment_id}}  # fmt: skip
    again = context.request.post("/api/v1/payments/callbacks/yookassa", data=notification)
    registry = portal.demo_folder.parent / f"registry-{account.digits}.csv"
    registry.write_bytes(
        f"02-03-2026;12-00-00;8607;8607001;E2E{account.digits};{account.number};ЖИТЕЛЬ;"
        f"АДРЕС;032026;500,00;495,00;5,00;{order_id}\n=1;500,00;495,00;5,00\n".encode("cp1251")
    )
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("LK_")},
        "LK_DEMO": "1",
        "LK_DATABASE_URL": f"sqlite:///{database(portal)}",
        "LK_BASE_URL": portal.base_url,
    }
    loaded = subprocess.run(
        [lk_command(), "payments", "import-registry", str(registry), "--bank", "sberbank"],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip

    assert again.status == 200
    assert loaded.returncode == 0, loaded.stderr
    assert "заказ уже был зачислен: 1" in loaded.stdout
    assert credited(portal, account) == [("portal", 50_000)]
    page.goto("/payments")
    shots(page, "history")
    online = page.locator("table.pay-table tbody tr").filter(has_text="Онлайн")
    expect(online).to_have_count(1)
    expect(online).to_contain_text("500,00")


def test_a_payment_given_up_on_the_card_page_is_shown_as_not_paid(
    context: BrowserContext, page: Page, account: DemoAccount, portal: Portal, shots: Screenshots
) -> None:
    register_by_email(context, page, account, shots)
    choose_and_pay(page, CARD, "100")
    page.get_by_role("button", name="Перейти к оплате").click()
    page.get_by_role("button", name="Отказаться от оплаты").click()

    expect(page.get_by_role("heading", name="Платёж не прошёл")).to_be_visible()
    shots(page, "canceled")
    assert the_order(portal, account)[3] == "canceled"
    assert credited(portal, account) == []


@pytest.mark.parametrize(
    ("provider", "fields"),
    [("Система Город", ("account", "sum")), ("Сбербанк Онлайн", ("account", "amount"))],
)
def test_the_redirect_services_receive_the_account_and_the_amount(
    context: BrowserContext,
    page: Page,
    account: DemoAccount,
    shots: Screenshots,
    provider: str,
    fields: tuple[str, str],
) -> None:
    register_by_email(context, page, account, shots)
    choose_and_pay(page, provider, "750,25")
    page.get_by_role("button", name="Перейти к оплате").click()

    expect(page.get_by_role("heading", name=f"Демо: страница «{provider}»")).to_be_visible()
    shots(page, "provider")
    query = parse_qs(urlsplit(page.url).query)
    assert query["account"] == [account.digits]
    assert query[fields[1]] == (["750.25"] if fields[1] == "sum" else ["75025"])
    expect(page.locator(f'dd[data-field="{fields[0]}"]')).to_have_text(account.digits)
    page.goto("/home")
    expect(page.locator("section#pay").get_by_text("ожидает подтверждения")).to_be_visible()


def test_focus_shows_on_the_payment_choice(
    context: BrowserContext, page: Page, account: DemoAccount, shots: Screenshots
) -> None:
    register_by_email(context, page, account, shots)
    page.goto("/pay")

    assert_focus_is_visible_at_every_tab_stop(
        page, until='form[action="/pay"] button[type="submit"]'
    )
    shots(page, "focus-on-pay")
