"""Contact values: a Russian mobile phone and an e-mail address, each normalised."""

from __future__ import annotations

import re
from typing import Self

import attrs

from lk_core.kernel.errors import InvalidValue

_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s.]+(\.[^@\s.]+)+$")


@attrs.frozen
class Phone:
    """A phone number as `+7XXXXXXXXXX`; only Russian numbers are accepted by default."""

    e164: str

    @classmethod
    def parse(cls, text: str) -> Self:
        digits = re.sub(r"[\s()\-–.]", "", text.strip())
        if re.fullmatch(r"8\d{10}", digits):
            digits = "+7" + digits[1:]
        elif re.fullmatch(r"7\d{10}", digits):
            digits = "+" + digits
        elif re.fullmatch(r"9\d{9}", digits):
            digits = "+7" + digits
        if not re.fullmatch(r"\+7\d{10}", digits):
            raise InvalidValue("phone", text, "Укажите номер телефона в формате +7 XXX XXX-XX-XX")
        return cls(digits)

    def masked(self) -> str:
        """`+7 ••• •••-12-34`, to show where a code went without revealing the number."""
        return f"+7 ••• •••-{self.e164[-4:-2]}-{self.e164[-2:]}"

    def __str__(self) -> str:
        d = self.e164
        return f"+7 {d[2:5]} {d[5:8]}-{d[8:10]}-{d[10:12]}"


@attrs.frozen
class Email:
    """An e-mail address; the domain is compared without case, the local part as typed."""

    address: str

    @classmethod
    def parse(cls, text: str) -> Self:
        value = text.strip()
        if len(value) > 254 or not _EMAIL.match(value):
            raise InvalidValue(
                "email", text, "Укажите адрес электронной почты, например ivanov@mail.ru"
            )
        local, _, domain = value.rpartition("@")
        return cls(f"{local}@{domain.lower()}")

    @property
    def key(self) -> str:
        """What counts as "the same address" for the accounts-per-e-mail limit."""
        return self.address.lower()

    def __str__(self) -> str:
        return self.address
