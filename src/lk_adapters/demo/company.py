"""The demo management company: fictional, with requisites that pass every check digit."""

from __future__ import annotations

from lk_core.kernel.company import Company

SBERBANK_BIC = "044525225"
SBERBANK_CORRESPONDENT = "30101810400000000225"

_INN10_WEIGHTS = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_ACCOUNT_WEIGHTS = (7, 1, 3) * 7 + (7, 1)


def inn_with_check_digit(first_nine: str) -> str:
    """A 10-digit organisation INN: region 69 (Tver), tax office, record, check digit."""
    check = sum(int(d) * w for d, w in zip(first_nine, _INN10_WEIGHTS, strict=True)) % 11 % 10
    return first_nine + str(check)


def account_with_key(account: str, bic: str) -> str:
    """A settlement account with its control key (9th digit) set for the bank's BIC.

    The Bank of Russia rule: over the BIC's last three digits and the account, weighted
    7-1-3, the sum must end in 0; the key digit is chosen to make it so.
    """
    blank = account[:8] + "0" + account[9:]
    digits = bic[-3:] + blank
    total = sum(int(d) * w for d, w in zip(digits, _ACCOUNT_WEIGHTS, strict=True))
    key = (total % 10 * 3) % 10  # the key's weight is 3, and 3 × 7 ≡ 1 (mod 10)
    return account[:8] + str(key) + account[9:]


def demo_company() -> Company:
    """The payee of the demo company's receipts and payment QR codes."""
    return Company(
        name="ООО «УК Тверской дом»",
        inn=inn_with_check_digit("695012345"),
        kpp="695001001",
        bank_name="ПАО Сбербанк",
        bic=SBERBANK_BIC,
        settlement_account=account_with_key("40702810X00000012345", SBERBANK_BIC),
        correspondent_account=SBERBANK_CORRESPONDENT,
        address="170100, г. Тверь, ул. Вольного Новгорода, д. 8, офис 14",
        phone="+7 (4822) 55-12-34",
        email="info@example.com",
        website="https://example.com",
        time_zone="Europe/Moscow",
    )


def demo_executors() -> tuple[str, ...]:
    """The crews and contractors the demo company's dispatchers assign requests to."""
    return (
        "Слесарь-сантехник Кузнецов А. П.",
        "Электрик Белов С. В.",
        "ООО «Лифтсервис Тверь»",
        "Дворник Ахмедов Р. Р.",
    )
