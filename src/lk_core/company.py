"""The management company: the payee on every receipt and payment QR code."""

from __future__ import annotations

import re

import attrs

from lk_core.kernel.errors import InvalidValue

_INN10_WEIGHTS = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_WEIGHTS_1 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_WEIGHTS_2 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_ACCOUNT_WEIGHTS = (7, 1, 3) * 7 + (7, 1)


def _check_digit(digits: str, weights: tuple[int, ...]) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights, strict=False)) % 11 % 10


def inn_is_valid(inn: str) -> bool:
    """The tax number's check digits (10 digits for organisations, 12 for people)."""
    if re.fullmatch(r"[0-9]{10}", inn):
        return _check_digit(inn, _INN10_WEIGHTS) == int(inn[9])
    if re.fullmatch(r"[0-9]{12}", inn):
        return _check_digit(inn, _INN12_WEIGHTS_1) == int(inn[10]) and _check_digit(
            inn, _INN12_WEIGHTS_2
        ) == int(inn[11])
    return False


def bank_account_is_valid(account: str, bic: str, *, correspondent: bool = False) -> bool:
    """The Bank of Russia control key of a 20-digit account against its bank's BIC."""
    if not (re.fullmatch(r"[0-9]{20}", account) and re.fullmatch(r"[0-9]{9}", bic)):
        return False
    prefix = ("0" + bic[4:6]) if correspondent else bic[-3:]
    total = sum(int(d) * w for d, w in zip(prefix + account, _ACCOUNT_WEIGHTS, strict=True))
    return total % 10 == 0


def _require(condition: bool, field: str, value: object, message: str) -> None:
    if not condition:
        raise InvalidValue(field, value, message)


@attrs.frozen
class Company:
    """The payee (управляющая компания) with the requisites a payment needs."""

    name: str
    inn: str
    kpp: str
    bank_name: str
    bic: str
    settlement_account: str
    correspondent_account: str
    address: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    time_zone: str = "Europe/Moscow"

    def __attrs_post_init__(self) -> None:
        _require(0 < len(self.name) <= 160, "name", self.name, "Название: от 1 до 160 знаков")
        _require(inn_is_valid(self.inn), "inn", self.inn, "ИНН не прошёл проверку контрольных цифр")
        _require(bool(re.fullmatch(r"[0-9]{9}", self.kpp)), "kpp", self.kpp, "КПП — 9 цифр")
        _require(
            0 < len(self.bank_name) <= 45, "bank_name", self.bank_name, "Банк: от 1 до 45 знаков"
        )
        _require(bool(re.fullmatch(r"[0-9]{9}", self.bic)), "bic", self.bic, "БИК — 9 цифр")
        _require(
            bank_account_is_valid(self.settlement_account, self.bic),
            "settlement_account",
            self.settlement_account,
            "Расчётный счёт не сходится с БИК по контрольному ключу",
        )
        _require(
            bank_account_is_valid(self.correspondent_account, self.bic, correspondent=True),
            "correspondent_account",
            self.correspondent_account,
            "Корреспондентский счёт не сходится с БИК по контрольному ключу",
        )
