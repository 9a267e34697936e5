"""How people name a request: its number, given in order as requests are made (ADR 0075),
plain digits a resident can read out on the phone and a dispatcher can type into the desk."""

from __future__ import annotations

from lk_core.kernel.errors import InvalidValue
from lk_core.requests.request import ServiceRequest

# The column is a 32-bit integer on every database; a longer number names no request.
LARGEST_NUMBER = 2**31 - 1
_TYPED_DIGITS_LIMIT = 12


def request_number(request: ServiceRequest) -> str:
    """The request's number as people see it after «№»: digits only, e.g. «1042»."""
    return str(request.number)


def parse_request_number(typed: str) -> int:
    """The number someone typed or read out: «1042», «№ 1042» or «1 042» alike."""
    digits = "".join(typed.split()).removeprefix("№").removeprefix("#")
    if not digits:
        raise InvalidValue("number", typed, "Введите номер заявки — цифры, например 1042")
    if not digits.isascii() or not digits.isdigit() or len(digits) > _TYPED_DIGITS_LIMIT:
        raise InvalidValue("number", typed, "Номер заявки состоит только из цифр, например 1042")
    return int(digits)
