"""The payment provider port: every provider sends the resident to a page that knows the
account and amount; YooKassa's adapter speaks API v3 (here a server on 127.0.0.1 that
answers as YooKassa does), retries what may pass and gives up cleanly on what will not."""

from __future__ import annotations

import base64
import time
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from lk_adapters.payments.redirect import RedirectProvider
from lk_adapters.payments.yookassa import YooKassaProvider
from lk_core.kernel.errors import NotFound
from lk_core.kernel.money import Money
from lk_core.payments.errors import PaymentMismatch, ProviderUnavailable
from lk_core.payments.orders import OrderStatus, PaymentOrder
from lk_core.payments.ports import PaymentProvider
from yookassa_server import SECRET_KEY, SHOP_ID, ProtocolServer, silent_server, yookassa_server

from .builders import at

GOROD = "https://www.gorod.ru/pay?account={account}&sum={amount}&order={order}&email={email}"
SBERBANK = "https://online.sberbank.ru/pay/{account}?amount={kopecks}"
RETURN = "https://lk.example.ru/pay/return/o-1"


def an_order(order_id: str = "o-1", email: str = "") -> PaymentOrder:
    return PaymentOrder(order_id, "100234", "p", Money(123_445), at(0), email=email)


@pytest.fixture
def server() -> Iterator[ProtocolServer]:
    with yookassa_server() as running:
        yield running


def yookassa(server: ProtocolServer, secret: str = SECRET_KEY) -> YooKassaProvider:
    return YooKassaProvider(SHOP_ID, secret, api_url=server.url, timeout=0.3, retry_pause=0.01)


@pytest.fixture(params=["gorod", "sberbank", "yookassa"])
def provider(request: pytest.FixtureRequest, server: ProtocolServer) -> PaymentProvider:
    if request.param == "gorod":
        return RedirectProvider("gorod", "Система Город", GOROD, takes_readings=True)
    if request.param == "sberbank":
        return RedirectProvider("sberbank", "Сбербанк Онлайн", SBERBANK)
    return yookassa(server)


def test_every_provider_gives_a_page_to_send_the_resident_to(provider: PaymentProvider) -> None:
    started = provider.start(an_order(), RETURN)

    assert started.url.startswith(("https://", "http://"))
    assert provider.confirms == bool(started.provider_payment_id)


def test_the_gorod_link_carries_account_amount_order_and_email() -> None:
    gorod = RedirectProvider("gorod", "Система Город", GOROD)

    url = gorod.start(an_order(email="ivanov+1@mail.ru"), RETURN).url

    assert parse_qs(urlsplit(url).query) == {
        "account": ["100234"], "sum": ["1234.45"], "order": ["o-1"], "email": ["ivanov+1@mail.ru"],
    }  # fmt: skip


def test_the_sberbank_link_carries_account_and_amount_in_kopecks() -> None:
    sberbank = RedirectProvider("sberbank", "Сбербанк Онлайн", SBERBANK)

    assert sberbank.start(an_order(), RETURN).url == (
        "https://online.sberbank.ru/pay/100234?amount=123445"
    )


def test_a_redirect_provider_has_nothing_to_fetch() -> None:
    with pytest.raises(ProviderUnavailable):
        RedirectProvider("sberbank", "Сбербанк Онлайн", SBERBANK).fetch("x")


def test_yookassa_creates_a_payment_as_api_v3_asks(server: ProtocolServer) -> None:
    started = yookassa(server).start(an_order(email="ivanov@mail.ru"), RETURN)

    [(method, path, headers, body)] = server.requests
    assert (method, path) == ("POST", "/v3/payments")
    assert headers["Idempotence-Key"] == "o-1"
    assert (
        headers["Authorization"]
        == "Basic " + base64.b64encode(f"{SHOP_ID}:{SECRET_KEY}".encode()).decode()
    )
    assert body["amount"] == {"value": "1234.45", "currency": "RUB"}
    assert body["confirmation"] == {"type": "redirect", "return_url": RETURN}
    assert body["capture"] is True
    assert body["metadata"] == {"order_id": "o-1", "account": "100234"}
    assert body["receipt"]["customer"] == {"email": "ivanov@mail.ru"}
    assert started.url == f"https://yoomoney.test/checkout/{started.provider_payment_id}"


def test_starting_the_same_order_again_gives_the_same_payment(server: ProtocolServer) -> None:
    provider = yookassa(server)

    first = provider.start(an_order(), RETURN)
    again = provider.start(an_order(), RETURN)

    assert first == again


def test_a_fetched_payment_says_what_yookassa_knows(server: ProtocolServer) -> None:
    provider = yookassa(server)
    started = provider.start(an_order(), RETURN)
    pending = provider.fetch(started.provider_payment_id)
    server.book.finish(started.provider_payment_id, succeeded=True)

    paid = provider.fetch(started.provider_payment_id)

    assert pending.status is OrderStatus.PENDING
    assert (paid.status, paid.order_id, paid.account_key, paid.amount) == (
        OrderStatus.SUCCEEDED, "o-1", "100234", Money(123_445),
    )  # fmt: skip
    assert paid.provider_payment_id == started.provider_payment_id


def test_a_canceled_payment_is_fetched_as_canceled(server: ProtocolServer) -> None:
    provider = yookassa(server)
    started = provider.start(an_order(), RETURN)
    server.book.finish(started.provider_payment_id, succeeded=False)

    assert provider.fetch(started.provider_payment_id).status is OrderStatus.CANCELED


def test_server_errors_are_retried_with_the_same_idempotence_key(server: ProtocolServer) -> None:
    server.fail_next(500, 503)

    started = yookassa(server).start(an_order(), RETURN)

    assert started.provider_payment_id
    assert [r[2]["Idempotence-Key"] for r in server.posts()] == ["o-1"] * 3


def test_a_provider_that_keeps_failing_is_unavailable(server: ProtocolServer) -> None:
    server.fail_next(502, 502, 502)

    with pytest.raises(ProviderUnavailable, match="недоступен") as raised:
        yookassa(server).start(an_order(), RETURN)

    assert raised.value.detail == "HTTP 502"


def test_a_provider_that_does_not_answer_in_time_is_unavailable(server: ProtocolServer) -> None:
    server.fail_next("timeout", "timeout", "timeout")

    with pytest.raises(ProviderUnavailable) as raised:
        yookassa(server).start(an_order(), RETURN)

    assert "Timeout" in raised.value.detail


def test_wrong_credentials_are_not_retried_and_not_shown(server: ProtocolServer) -> None:
    with pytest.raises(ProviderUnavailable) as raised:
        yookassa(server, secret="wrong").start(an_order(), RETURN)

    assert len(server.requests) == 1
    assert raised.value.detail.startswith("HTTP 401")
    assert SECRET_KEY not in str(raised.value)
    assert "wrong" not in raised.value.detail


def test_a_fetch_is_one_request_the_verifier_retries_later(server: ProtocolServer) -> None:
    provider = yookassa(server)
    started = provider.start(an_order(), RETURN)
    server.fail_next(503)

    with pytest.raises(ProviderUnavailable, match="недоступен"):
        provider.fetch(started.provider_payment_id)

    assert len(server.fetches()) == 1


def test_a_fetch_from_a_provider_that_never_answers_ends_within_its_timeouts() -> None:
    with silent_server() as url:
        provider = YooKassaProvider(
            SHOP_ID, SECRET_KEY, api_url=url, fetch_timeout=httpx.Timeout(0.5, connect=0.2)
        )
        started = time.monotonic()
        with pytest.raises(ProviderUnavailable) as raised:
            provider.fetch("2d9a1c3e-000f-5000-9000-1b68e7b15f3f")

    assert time.monotonic() - started < 2
    assert "ReadTimeout" in raised.value.detail


def test_an_unknown_payment_cannot_be_fetched(server: ProtocolServer) -> None:
    with pytest.raises(NotFound):
        yookassa(server).fetch("2d9a1c3e-000f-5000-9000-1b68e7b15f3f")


def test_a_payment_in_another_currency_is_refused(server: ProtocolServer) -> None:
    provider = yookassa(server)
    started = provider.start(an_order(), RETURN)
    server.book._payments[started.provider_payment_id]["amount"]["currency"] = "USD"

    with pytest.raises(PaymentMismatch, match="валюта USD"):
        provider.fetch(started.provider_payment_id)


def test_a_shop_without_fiscalization_sends_no_receipt(server: ProtocolServer) -> None:
    provider = YooKassaProvider(SHOP_ID, SECRET_KEY, api_url=server.url, receipts=False)

    provider.start(an_order(email="ivanov@mail.ru"), RETURN)

    assert "receipt" not in server.posts()[0][3]
