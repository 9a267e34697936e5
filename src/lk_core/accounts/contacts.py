"""Contact values: a phone number of the +7 plan and an e-mail address, each normalised.

Phones are read with libphonenumber's numbering plan (`phonenumbers`), which also tells a
mobile number from a landline: SMS reach mobiles only. Addresses are checked by
`email-validator` (RFC 5321 syntax, internationalised domains normalised by IDNA), without
asking DNS: a form must not wait on it. See ADR 0045.
"""

from __future__ import annotations

from typing import Self

import attrs
import email_validator
import phonenumbers

from lk_core.kernel.errors import InvalidValue

_PHONE_FORMAT = "Укажите номер телефона в формате +7 XXX XXX-XX-XX"
_MOBILE_ONLY = (
    "Смс приходят только на мобильный телефон: укажите мобильный номер, например +7 912 345-67-89"
)
_EMAIL_FORMAT = "Укажите адрес электронной почты, например ivanov@mail.ru"
_MOBILE = {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}


@attrs.frozen
class Phone:
    """A phone number as `+7XXXXXXXXXX`: a number in use in the +7 plan, mobile or not."""

    e164: str

    @classmethod
    def parse(cls, text: str) -> Self:
        """A number typed as +7…, 8… (the trunk prefix), 7… or its ten digits alone."""
        if any(character.isalpha() for character in text):  # letters, an extension
            raise InvalidValue("phone", text, _PHONE_FORMAT)
        try:
            number = phonenumbers.parse(text, "RU")
        except phonenumbers.NumberParseException:
            raise InvalidValue("phone", text, _PHONE_FORMAT) from None
        if number.country_code != 7 or not phonenumbers.is_valid_number(number):
            raise InvalidValue("phone", text, _PHONE_FORMAT)
        return cls(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))

    @classmethod
    def parse_mobile(cls, text: str) -> Self:
        """A number an SMS can go to; a landline is refused with its own message."""
        return cls.parse(text).require_mobile()

    @property
    def is_mobile(self) -> bool:
        """Whether the numbering plan gives this number to a mobile network."""
        return phonenumbers.number_type(phonenumbers.parse(self.e164)) in _MOBILE

    def require_mobile(self) -> Self:
        """This phone, if SMS reach it; a landline raises `InvalidValue`."""
        if not self.is_mobile:
            raise InvalidValue("phone", str(self), _MOBILE_ONLY)
        return self

    def masked(self) -> str:
        """`+7 ••• •••-12-34`, to show where a code went without revealing the number."""
        return f"+7 ••• •••-{self.e164[-4:-2]}-{self.e164[-2:]}"

    def __str__(self) -> str:
        d = self.e164
        return f"+7 {d[2:5]} {d[5:8]}-{d[8:10]}-{d[10:12]}"


@attrs.frozen
class Email:
    """An e-mail address; the domain in its normalised (IDNA) Unicode form, the local part
    as typed (Unicode-normalised), so `почта.рф` and `xn--80a1acny.xn--p1ai` are one."""

    address: str

    @classmethod
    def parse(cls, text: str) -> Self:
        try:
            valid = email_validator.validate_email(
                text.strip(), check_deliverability=False, strict=True
            )
        except email_validator.EmailNotValidError:
            raise InvalidValue("email", text, _EMAIL_FORMAT) from None
        return cls(valid.normalized)

    @property
    def key(self) -> str:
        """What counts as "the same address" for the accounts-per-e-mail limit."""
        return self.address.lower()

    def __str__(self) -> str:
        return self.address
