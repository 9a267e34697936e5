"""Personal accounts (лицевые счета), the houses they are in, and the payer's settings."""

from __future__ import annotations

import enum
import re
from decimal import Decimal
from typing import Any, Self

import attrs

from lk_core.accounts.contacts import Email, Phone
from lk_core.kernel.errors import InvalidValue

_SEPARATORS = re.compile(r"[\s\-–—/._]")
_NUMBER = re.compile(r"^(?P<digits>[0-9]{1,20})(?P<letter>[А-ЯЁA-Z]?)$")


@attrs.frozen
class AccountNumber:
    """An account number: digits that identify it, and the letter index it is printed with.

    `100234-А`, `100234А` and `100234` are the same account: residents may type digits
    only (source guide, section 3), so the digits alone are the key.
    """

    digits: str
    letter: str = attrs.field(default="", eq=False)

    @classmethod
    def parse(cls, text: str) -> Self:
        cleaned = _SEPARATORS.sub("", text.strip()).upper()
        match = _NUMBER.match(cleaned)
        if match is None:
            raise InvalidValue(
                "account_number", text, "Номер лицевого счёта — это цифры, например 100234"
            )
        return cls(match["digits"], match["letter"])

    @property
    def key(self) -> str:
        return self.digits

    def __str__(self) -> str:
        return f"{self.digits}-{self.letter}" if self.letter else self.digits


def normalise_surname(name: str) -> str:
    """Compare surnames as residents type them: case, `ё`/`е` and spacing do not matter."""
    return " ".join(name.casefold().replace("ё", "е").split())


class ReceiptDelivery(enum.Enum):
    """How the monthly receipt reaches the payer (способ получения счёта)."""

    PAPER = "paper"
    EMAIL = "email"

    @property
    def label_ru(self) -> str:
        return {"paper": "Счёт на дом", "email": "Счёт по e-mail"}[self.value]


@attrs.frozen
class House:
    """An apartment building (МКД)."""

    code: str
    address: str
    total_area: Decimal

    def __attrs_post_init__(self) -> None:
        if not self.code:
            raise InvalidValue("house_code", self.code, "Не указан код дома")
        if self.total_area < 0:
            raise InvalidValue("total_area", self.total_area, "Площадь не может быть отрицательной")


def _non_negative(_: object, attribute: attrs.Attribute[Any], value: Decimal | int) -> None:
    if value < 0:
        raise InvalidValue(attribute.name, value, "Значение не может быть отрицательным")


@attrs.define
class Account:
    """A personal account: one flat and its payer, with the payer's contact settings."""

    number: AccountNumber
    house_code: str
    payer_name: str
    flat: str
    rooms: int = attrs.field(validator=_non_negative)
    area: Decimal = attrs.field(validator=_non_negative)
    residents: int = attrs.field(validator=_non_negative)
    phone: Phone | None = None
    email: Email | None = None
    delivery: ReceiptDelivery = ReceiptDelivery.PAPER
    sms_informing: bool = False
    email_informing: bool = False

    @property
    def key(self) -> str:
        return self.number.key

    @property
    def surname(self) -> str:
        """The payer's surname: Russian full names are written surname first."""
        return self.payer_name.split()[0] if self.payer_name.split() else ""

    def surname_matches(self, typed: str) -> bool:
        return bool(typed.strip()) and normalise_surname(typed) == normalise_surname(self.surname)

    def choose_delivery(self, delivery: ReceiptDelivery) -> None:
        """E-mail delivery needs an address on file; without one it stays on paper."""
        if delivery is ReceiptDelivery.EMAIL and self.email is None:
            raise InvalidValue(
                "email", None, "Чтобы получать счёт по e-mail, укажите адрес электронной почты"
            )
        self.delivery = delivery

    def set_sms_informing(self, enabled: bool) -> None:
        if enabled and self.phone is None:
            raise InvalidValue("phone", None, "Чтобы получать смс, укажите номер телефона")
        self.sms_informing = enabled

    def set_email_informing(self, enabled: bool) -> None:
        if enabled and self.email is None:
            raise InvalidValue(
                "email", None, "Чтобы получать письма, укажите адрес электронной почты"
            )
        self.email_informing = enabled
