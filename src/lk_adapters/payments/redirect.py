"""Redirect-only payment services («Система Город», «Сбербанк Онлайн»): a URL, nothing more.

The resident's browser is sent to a URL built from a configured template; the service
reports the payment later through its bank's registry (F24), so nothing is fetched here.
"""

from __future__ import annotations

from urllib.parse import quote

import attrs

from lk_core.payments.crediting import PaymentNews
from lk_core.payments.errors import ProviderUnavailable
from lk_core.payments.orders import PaymentOrder, ProviderStart

PLACEHOLDERS = ("account", "amount", "kopecks", "order", "email", "readings", "service")


@attrs.frozen
class RedirectProvider:
    """A payment service reached by a link; `url_template` names the fields in braces:
    {account} {amount} (rubles, `1234.56`) {kopecks} {order} {email} {readings} {service}."""

    code: str
    name: str
    url_template: str
    takes_readings: bool = False
    confirms: bool = False

    def start(self, order: PaymentOrder, return_url: str) -> ProviderStart:
        values = {
            "account": order.account_key,
            "amount": f"{order.amount.to_decimal():.2f}",
            "kopecks": str(order.amount.kopecks),
            "order": order.id,
            "email": order.email,
            "readings": order.readings,
            "service": order.service_code,
        }
        return ProviderStart(
            self.url_template.format(**{k: quote(v, safe="") for k, v in values.items()})
        )

    def fetch(self, provider_payment_id: str) -> PaymentNews:
        raise ProviderUnavailable(self.name, "сервис сообщает о платежах только реестрами")


def check_template(template: str) -> str | None:
    """What is wrong with a URL template, or None."""
    if not template.startswith(("https://", "http://")):
        return "адрес должен начинаться с https://"
    try:
        template.format(**dict.fromkeys(PLACEHOLDERS, "x"))
    except (KeyError, IndexError, ValueError) as error:
        return f"неизвестное поле в фигурных скобках: {error}"
    return None
