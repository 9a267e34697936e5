"""The payment services the settings ask for (F12), in the order residents see them."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from lk_adapters.payments.acquirer_book import AcquirerBook
from lk_adapters.payments.redirect import RedirectProvider, check_template
from lk_adapters.payments.yookassa import NOTIFICATION_SOURCES, YooKassaProvider
from lk_adapters.settings import Settings, SettingsError
from lk_core.payments.callback_gate import LOOPBACK, CallbackGate, Network, parse_networks
from lk_core.payments.ports import PaymentProvider

# Names that LK_PAYMENTS_CALLBACK_SOURCES may use for a provider's published addresses.
NAMED_SOURCES = {"yookassa": NOTIFICATION_SOURCES, "loopback": LOOPBACK}

DEMO_SHOP_ID = "demo-shop"
DEMO_SECRET_KEY = "demo-secret-not-a-secret"  # noqa: S105 — public, demo mode only


def demo_paths(base_url: str) -> dict[str, str]:
    """Where demo mode's stand-ins live on the portal itself (no internet needed)."""
    base = base_url.rstrip("/")
    return {
        "gorod": base + "/demo/provider/gorod?account={account}&sum={amount}&order={order}"
        "&email={email}&readings={readings}",
        "sberbank": base + "/demo/provider/sberbank?account={account}&amount={kopecks}",
        "acquirer": base + "/demo/acquiring",
        "checkout": base + "/demo/acquiring/checkout/{id}",
        "webhook": base + "/api/v1/payments/callbacks/yookassa",
    }


def configured_providers(settings: Settings) -> tuple[PaymentProvider, ...]:
    """«Система Город», «Сбербанк Онлайн», any more configured, then the card acquirer."""
    p = settings.payments
    demo = demo_paths(settings.base_url) if settings.demo else {}
    problems: list[str] = []
    providers: list[PaymentProvider] = []
    redirects = [
        ("gorod", "Система Город", p.gorod_url or demo.get("gorod", ""), True, "GOROD_URL"),
        ("sberbank", "Сбербанк Онлайн", p.sberbank_url or demo.get("sberbank", ""), False,
         "SBERBANK_URL"),
    ]  # fmt: skip
    for number, line in enumerate(p.more_providers.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        if len(parts) != 3 or not parts[0].isidentifier():
            problems.append(
                f"LK_PAYMENTS_MORE_PROVIDERS: строка {number} — нужно code|Название|адрес"
            )
            continue
        redirects.append((parts[0], parts[1], parts[2], False, "MORE_PROVIDERS"))
    for code, name, template, readings, variable in redirects:
        if not template:
            continue
        if (problem := check_template(template)) is not None:
            problems.append(f"LK_PAYMENTS_{variable}: {problem}")
            continue
        providers.append(RedirectProvider(code, name, template, takes_readings=readings))
    fetch_timeout = httpx.Timeout(p.verify_read_timeout, connect=p.verify_connect_timeout)
    if p.yookassa_shop_id:
        providers.append(
            YooKassaProvider(
                p.yookassa_shop_id,
                p.yookassa_secret_key,
                api_url=p.yookassa_api_url,
                timeout=p.yookassa_timeout,
                receipts=p.yookassa_receipts,
                fetch_timeout=fetch_timeout,
            )
        )
    elif settings.demo:
        providers.append(
            YooKassaProvider(
                DEMO_SHOP_ID,
                DEMO_SECRET_KEY,
                api_url=demo["acquirer"],
                timeout=p.yookassa_timeout,
                name="Банковская карта (демо-эквайринг)",
                fetch_timeout=fetch_timeout,
            )
        )
    if problems:
        raise SettingsError(problems)
    return tuple(providers)


def callback_networks(settings: Settings) -> tuple[Network, ...]:
    """The networks provider callbacks are taken from (LK_PAYMENTS_CALLBACK_SOURCES): CIDRs
    and named lists; by default YooKassa's published addresses, and loopback in demo mode
    (where the demo acquirer on the portal itself sends them). Raises InvalidValue."""
    entries = settings.payments.callback_sources.replace(",", " ").split()
    if not entries:
        entries = ["yookassa", "loopback"] if settings.demo else ["yookassa"]
    expanded: list[str] = []
    for entry in entries:
        expanded.extend(NAMED_SOURCES.get(entry.lower(), (entry,)))
    return parse_networks(expanded)


def callback_gate(settings: Settings) -> CallbackGate:
    """The gate provider callbacks pass: the configured networks, at the configured rate."""
    return CallbackGate(callback_networks(settings), settings.payments.callback_rate)


def payment_return_url(settings: Settings) -> Callable[[str], str]:
    """The portal's page of an order's status, where a provider sends the resident back."""
    base = settings.base_url.rstrip("/")
    return lambda order_id: f"{base}/pay/return/{order_id}"


def demo_acquirer(settings: Settings) -> AcquirerBook | None:
    """Demo mode's stand-in for YooKassa, on the portal itself; None outside demo mode."""
    if not settings.demo or settings.payments.yookassa_shop_id:
        return None
    paths = demo_paths(settings.base_url)
    return AcquirerBook(DEMO_SHOP_ID, DEMO_SECRET_KEY, paths["checkout"], paths["webhook"])
