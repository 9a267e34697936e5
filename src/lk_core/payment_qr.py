"""The payment QR code's text (GOST R 56042-2014, F27): what a banking app reads to pay.

Pure: the receipt renderer draws it, the main page shows it, the payments work reuses it.
"""

from __future__ import annotations

import re

import attrs

from lk_core.kernel.company import Company
from lk_core.kernel.errors import InvalidValue
from lk_core.kernel.money import Money
from lk_core.kernel.periods import Period

HEADER = "ST0001"
UTF8 = "2"
SEPARATORS = "|#;:^~!"
HOUSING_TECH_CODE = "02"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
_LIMITS = {"Name": 160, "BankName": 45, "Purpose": 210}


def _clean(value: str) -> str:
    """Control characters (line breaks) become spaces; banking apps read one line a field."""
    return " ".join(_CONTROL.sub(" ", value).split())


@attrs.frozen
class PaymentRequest:
    """What the resident is asked to pay: to whom, for which account and month, how much."""

    company: Company
    account_number: str
    period: Period
    amount: Money

    def __attrs_post_init__(self) -> None:
        if self.amount.is_negative:
            raise InvalidValue(
                "amount", self.amount.kopecks, "Сумма к оплате не может быть меньше нуля"
            )

    @property
    def purpose(self) -> str:
        return f"Оплата ЖКУ за {self.period.qr_form}, л/с {self.account_number}"

    def fields(self) -> list[tuple[str, str]]:
        """The key-value pairs in the order of the standard: the mandatory block first.

        `Sum` is left out when nothing is owed, so that the app asks the payer for an amount.
        """
        c = self.company
        pairs = [
            ("Name", c.name),
            ("PersonalAcc", c.settlement_account),
            ("BankName", c.bank_name),
            ("BIC", c.bic),
            ("CorrespAcc", c.correspondent_account or "0"),
            ("PayeeINN", c.inn),
            ("KPP", c.kpp),
            ("PersAcc", self.account_number),
            ("PaymPeriod", self.period.qr_form),
        ]
        if self.amount.kopecks > 0:
            pairs.append(("Sum", str(self.amount.kopecks)))
        pairs += [("Purpose", self.purpose), ("TechCode", HOUSING_TECH_CODE)]
        return [(key, _clean(value)[: _LIMITS.get(key, 1000)]) for key, value in pairs]


def encode_fields(pairs: list[tuple[str, str]]) -> str:
    """`ST00012|Key=Value|…` with the first separator that occurs in no value."""
    text = "".join(value for _, value in pairs)
    for separator in SEPARATORS:
        if separator not in text:
            break
    else:
        raise InvalidValue("qr", text, "Каждый возможный разделитель встречается в реквизитах")
    body = separator.join(f"{key}={value}" for key, value in pairs)
    return f"{HEADER}{UTF8}{separator}{body}"


def payment_payload(request: PaymentRequest) -> str:
    """The QR code's text for a payment request."""
    return encode_fields(request.fields())


def decode_payload(text: str) -> list[tuple[str, str]]:
    """The key-value pairs of a payload, as a banking app reads them (for checks and tests)."""
    if not text.startswith(HEADER) or len(text) < len(HEADER) + 2:
        raise InvalidValue("qr", text[:20], "Это не платёжный QR-код по ГОСТ Р 56042-2014")
    if text[len(HEADER)] != UTF8:
        raise InvalidValue("qr", text[:20], "Поддерживается только кодировка UTF-8 (ST00012)")
    separator = text[len(HEADER) + 1]
    pairs = []
    for item in text[len(HEADER) + 2 :].split(separator):
        key, equals, value = item.partition("=")
        if not equals:
            raise InvalidValue("qr", item, f"«{item}» — не пара «ключ=значение»")
        pairs.append((key, value))
    return pairs
