"""Online payment through the portal's pages (F12): the choice page, the redirect, the
return page that only reads, and the provider's callback: taken only from the provider's
addresses, answered at once, and believed only once the provider, asked in the
background, confirms the payment (ADR 0053)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from access_fixtures import IVANOV, PETROVA
from lk_core.kernel.money import Money
from lk_core.payments.orders import OrderStatus, PaymentOrder
from lk_core.payments.verification import RETRY_DELAYS, verification_of
from main_page_fixtures import load_ledger, three_periods_of_rows
from personal_site import Site, a_site, non_demo_settings
from yookassa_server import SECRET_KEY, SHOP_ID, ProtocolServer, yookassa_server

PASSWORD = "тихий вечер над рекой"
WEBHOOK = "/api/v1/payments/callbacks/yookassa"
YOOKASSA_ADDRESS = "185.71.76.10"  # in 185.71.76.0/27, one of YooKassa's published networks
ELSEWHERE = "203.0.113.7"


@pytest.fixture
def server() -> Iterator[ProtocolServer]:
    with yookassa_server() as running:
        yield running


@pytest.fixture
def site(tmp_path: Path, server: ProtocolServer) -> Iterator[Site]:
    env = {
        "LK_PAYMENTS_YOOKASSA_SHOP_ID": SHOP_ID,
        "LK_PAYMENTS_YOOKASSA_SECRET_KEY": SECRET_KEY,
        "LK_PAYMENTS_YOOKASSA_API_URL": server.url,
        "LK_PAYMENTS_YOOKASSA_TIMEOUT": "2",
        # The proxy in front says who called; the tests verify when they choose to.
        "LK_BEHIND_PROXY": "true",
        "LK_PAYMENTS_VERIFY_IN_PROCESS": "false",
    }
    with a_site(tmp_path, **env) as running:
        load_ledger(
            running.container.uow_factory(),
            [*three_periods_of_rows(IVANOV), *three_periods_of_rows(PETROVA)],
        )
        yield running


@pytest.fixture
def ivanov(site: Site) -> Site:
    site.register(IVANOV, "ivanov@mail.ru", PASSWORD)
    site.sign_in(IVANOV, PASSWORD)
    return site


def orders(site: Site, account: str = IVANOV) -> list[PaymentOrder]:
    with site.container.uow_factory()() as uow:
        return uow.payment_orders.of_account(account, 10)


def credited(site: Site) -> list[Money]:
    with site.container.uow_factory()() as uow:
        return [p.amount for p in uow.payments.of_account(IVANOV)]


def notify(
    site: Site,
    payment_id: str,
    event: str = "payment.succeeded",
    source: str = YOOKASSA_ADDRESS,
    **fake: str,
) -> int:
    body = {"type": "notification", "event": event, "object": {"id": payment_id, **fake}}
    return site.client.post(WEBHOOK, json=body, headers={"X-Forwarded-For": source}).status_code


def verify(site: Site) -> int:
    """Let the background verifier do what is due now; how many it verified."""
    return site.container.payment_verifier().run_until_idle()


def test_the_main_page_offers_to_pay_the_total_and_each_service(ivanov: Site) -> None:
    page = ivanov.client.get("/home").text

    section = page[page.index('id="pay"') :]
    assert 'href="/pay"' in section
    assert 'href="/pay?service=HVS"' in section
    assert "Скоро здесь можно будет оплатить" not in page


def test_the_choice_page_offers_every_service_and_what_is_due(ivanov: Site) -> None:
    page = ivanov.client.get("/pay?service=HVS").text

    for name in ("Система Город", "Сбербанк Онлайн", "Банковская карта (ЮKassa)"):
        assert name in page
    assert "Холодное водоснабжение" in page
    assert 'value="410,39"' in page  # 8 649 + 42 273 − 1 234 − 8 649 kopecks
    assert 'value="ivanov@mail.ru"' in page


def test_paying_by_card_stores_a_pending_order_and_leaves_for_the_provider(
    ivanov: Site, server: ProtocolServer
) -> None:
    answer = ivanov.post("/pay", {"provider": "yookassa", "amount": "1 500,00", "email": ""})

    [order] = orders(ivanov)
    assert answer.status_code == 303
    assert answer.headers["location"] == (
        f"https://yoomoney.test/checkout/{order.provider_payment_id}"
    )
    assert order.status is OrderStatus.PENDING
    assert server.posts()[0][3]["confirmation"]["return_url"] == (
        f"http://testserver.local/pay/return/{order.id}"
    )


def test_coming_back_only_shows_the_status(ivanov: Site, server: ProtocolServer) -> None:
    ivanov.post("/pay", {"provider": "yookassa", "amount": "1500"})
    [order] = orders(ivanov)
    server.book.finish(order.provider_payment_id, succeeded=True)

    page = ivanov.client.get(f"/pay/return/{order.id}").text

    assert "ожидает подтверждения" in page
    assert orders(ivanov)[0].status is OrderStatus.PENDING
    assert credited(ivanov) == []


def test_a_verified_callback_credits_once_and_the_page_shows_it_paid(
    ivanov: Site, server: ProtocolServer
) -> None:
    ivanov.post("/pay", {"provider": "yookassa", "amount": "1500"})
    [order] = orders(ivanov)
    server.book.finish(order.provider_payment_id, succeeded=True)

    statuses = [notify(ivanov, order.provider_payment_id) for _ in range(2)]

    assert statuses == [200, 200]
    assert credited(ivanov) == []
    assert verify(ivanov) == 1
    assert credited(ivanov) == [Money(150_000)]
    assert "Платёж получен" in ivanov.client.get(f"/pay/return/{order.id}").text
    history = ivanov.client.get("/payments").text
    assert "оплачено" in history
    assert "1\u00a0500,00\u00a0₽" in history
    assert "оплачено" in ivanov.client.get("/home").text


def test_a_forged_notification_is_not_believed(ivanov: Site) -> None:
    ivanov.post("/pay", {"provider": "yookassa", "amount": "1500"})
    [order] = orders(ivanov)

    status = notify(ivanov, order.provider_payment_id, status="succeeded", paid="true")
    verify(ivanov)

    assert status == 200
    assert orders(ivanov)[0].status is OrderStatus.PENDING
    assert credited(ivanov) == []


def test_a_callback_the_provider_cannot_confirm_is_asked_again_later(
    ivanov: Site, server: ProtocolServer
) -> None:
    ivanov.post("/pay", {"provider": "yookassa", "amount": "1500"})
    [order] = orders(ivanov)
    server.book.finish(order.provider_payment_id, succeeded=True)
    server.fail_next(503)

    assert notify(ivanov, order.provider_payment_id) == 200
    verify(ivanov)
    assert credited(ivanov) == []
    ivanov.clock.advance(seconds=RETRY_DELAYS[0].total_seconds())
    verify(ivanov)
    assert credited(ivanov) == [Money(150_000)]


def test_a_callback_about_an_unknown_payment_is_dropped_once_the_provider_denies_it(
    site: Site, server: ProtocolServer
) -> None:
    payment_id = "2d9a1c3e-000f-5000-9000-1b68e7b15f3f"

    assert notify(site, payment_id) == 200
    assert verify(site) == 1
    assert len(server.fetches()) == 1
    assert verification_of(site.container.payments(), "yookassa", payment_id) is None


def test_a_refused_source_gets_one_answer_whatever_it_sends(site: Site) -> None:
    outside = {"X-Forwarded-For": ELSEWHERE}
    answers = [
        site.client.post(WEBHOOK, json={"object": {"id": "pay-1"}}, headers=outside),
        site.client.post(WEBHOOK, content=b"{", headers=outside),
        site.client.post(WEBHOOK.replace("yookassa", "nope"), json={}, headers=outside),
    ]

    assert {(a.status_code, a.text) for a in answers} == {(403, '{"error":"forbidden"}')}


def test_a_source_that_sends_too_often_is_told_to_wait(tmp_path: Path) -> None:
    env = {"LK_BEHIND_PROXY": "true", "LK_PAYMENTS_CALLBACK_RATE": "3"}
    with a_site(tmp_path, **env) as site:
        answers = [notify(site, f"pay-{n}") for n in range(4)]
        other = notify(site, "pay-5", source="185.71.77.10")
        waited = site.client.post(WEBHOOK, json={}, headers={"X-Forwarded-For": YOOKASSA_ADDRESS})

    assert answers == [200, 200, 200, 429]
    assert other == 200
    assert waited.headers["retry-after"] == "60"


def test_a_notification_too_large_to_be_one_is_refused(site: Site) -> None:
    body = b'{"object": {"id": "x"}, "padding": "' + b"x" * 70_000 + b'"}'

    answer = site.client.post(WEBHOOK, content=body, headers={"X-Forwarded-For": YOOKASSA_ADDRESS})

    assert answer.status_code == 413


def test_a_refund_notification_is_acknowledged_and_changes_nothing(
    ivanov: Site, server: ProtocolServer
) -> None:
    ivanov.post("/pay", {"provider": "yookassa", "amount": "1500"})
    [order] = orders(ivanov)
    server.book.finish(order.provider_payment_id, succeeded=True)

    assert notify(ivanov, order.provider_payment_id, event="refund.succeeded") == 200
    assert verify(ivanov) == 0
    assert credited(ivanov) == []


def test_a_callback_without_a_payment_is_a_bad_request(site: Site) -> None:
    headers = {"X-Forwarded-For": YOOKASSA_ADDRESS}
    assert (
        site.client.post(WEBHOOK, json={"type": "notification"}, headers=headers).status_code == 400
    )
    assert site.client.post(WEBHOOK, content=b"{not json", headers=headers).status_code == 400


def test_only_the_callback_routes_skip_the_csrf_check(ivanov: Site) -> None:
    answer = ivanov.client.post("/pay", data={"provider": "gorod", "amount": "100"})

    assert answer.status_code == 403
    assert orders(ivanov) == []


def test_the_gorod_link_carries_the_account_and_the_amount(ivanov: Site) -> None:
    answer = ivanov.post("/pay", {"provider": "gorod", "amount": "2 000,50", "readings": "ХВС 123"})

    query = parse_qs(urlsplit(answer.headers["location"]).query)
    assert (query["account"], query["sum"], query["readings"]) == (
        [IVANOV], ["2000.50"], ["ХВС 123"],
    )  # fmt: skip
    assert "Демо: страница «Система Город»" in ivanov.client.get(answer.headers["location"]).text


def test_the_sberbank_link_carries_the_account_and_the_amount(ivanov: Site) -> None:
    answer = ivanov.post("/pay", {"provider": "sberbank", "amount": "99"})

    query = parse_qs(urlsplit(answer.headers["location"]).query)
    assert (query["account"], query["amount"]) == ([IVANOV], ["9900"])


def test_a_bad_amount_is_explained_and_nothing_is_stored(ivanov: Site) -> None:
    answer = ivanov.post("/pay", {"provider": "yookassa", "amount": "сто рублей"})

    assert answer.status_code == 400
    assert "не сумма в рублях" in answer.text
    assert orders(ivanov) == []


def test_a_provider_that_is_down_is_explained(ivanov: Site, server: ProtocolServer) -> None:
    server.fail_next(503, 503, 503)

    answer = ivanov.post("/pay", {"provider": "yookassa", "amount": "100"})

    assert answer.status_code == 503
    assert "сейчас недоступен" in answer.text
    assert orders(ivanov)[0].status is OrderStatus.CANCELED


def test_a_resident_cannot_see_another_accounts_order(ivanov: Site) -> None:
    ivanov.post("/pay", {"provider": "gorod", "amount": "100"})
    [order] = orders(ivanov)
    ivanov.post("/sign-out")
    ivanov.register(PETROVA, "petrova@mail.ru", PASSWORD)
    ivanov.sign_in(PETROVA, PASSWORD)

    assert ivanov.get(f"/pay/return/{order.id}").status_code == 404
    assert order.id not in ivanov.client.get("/payments").text


def test_signed_out_visitors_are_sent_to_the_front_page(site: Site) -> None:
    for path in ("/pay", "/payments", "/pay/return/x"):
        assert site.get(path).headers["location"] == "/?notice=signed-out"


# --- demo mode's stand-ins ---------------------------------------------------------------


@pytest.fixture
def demo_site(tmp_path: Path) -> Iterator[Site]:
    """Demo mode with no YooKassa shop configured: the demo acquirer is mounted."""
    with a_site(tmp_path) as running:
        yield running


def test_the_demo_acquirer_asks_for_the_shops_credentials(demo_site: Site) -> None:
    body = {"amount": {"value": "1.00", "currency": "RUB"},
            "confirmation": {"type": "redirect", "return_url": "http://x/"}}  # fmt: skip

    anonymous = demo_site.client.post(
        "/demo/acquiring/v3/payments", json=body, headers={"Idempotence-Key": "k"}
    )
    known = demo_site.client.post(
        "/demo/acquiring/v3/payments", json=body, headers={"Idempotence-Key": "k"},
        auth=("demo-shop", "demo-secret-not-a-secret"),
    )  # fmt: skip

    assert anonymous.status_code == 401
    assert known.status_code == 200
    assert known.json()["status"] == "pending"


def test_the_demo_provider_page_escapes_what_it_shows(demo_site: Site) -> None:
    page = demo_site.client.get("/demo/provider/gorod?account=<script>x</script>").text

    assert "<script>x" not in page
    assert "&lt;script&gt;x" in page


def test_outside_demo_mode_the_demo_stand_ins_do_not_exist(tmp_path: Path) -> None:
    with a_site(tmp_path, **non_demo_settings()) as real:
        for path in ("/demo/acquiring/checkout/x", "/demo/provider/gorod"):
            assert real.client.get(path).status_code == 404
        assert real.client.post("/demo/acquiring/v3/payments", json={}).status_code == 404
