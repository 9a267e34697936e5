"""Accounts (лицевые счета), houses and residents' contacts: the values other
capabilities share, and the lookups (`AccountLookup`, `HouseLookup`) they declare when
one method is all they need.

Everything in `__all__` is public (see `docs/embedding.md` on versioning); other modules
and names are internal.
"""

from __future__ import annotations

from lk_core.accounts.account import (
    Account,
    AccountNumber,
    House,
    ReceiptDelivery,
    full_address,
    normalise_surname,
)
from lk_core.accounts.contacts import Email, Phone
from lk_core.accounts.ports import AccountLookup, AccountRepository, HouseLookup, HouseRepository

__all__ = [
    "Account",
    "AccountLookup",
    "AccountNumber",
    "AccountRepository",
    "Email",
    "House",
    "HouseLookup",
    "HouseRepository",
    "Phone",
    "ReceiptDelivery",
    "full_address",
    "normalise_surname",
]
