"""What operators look accounts up by, and what a look-up finds (F25, F26).

The directory is read in pages, so that a search or an audience of 100,000 accounts is
never held in memory at once.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from typing import Self

import attrs

from lk_core.access.registration import ConfirmationMethod, Registration, RegistrationStatus
from lk_core.accounts.account import Account, normalise_surname
from lk_core.accounts.contacts import Email, Phone
from lk_core.kernel.errors import InvalidValue
from lk_core.kernel.money import Money

_NUMBER = re.compile(r"^[0-9]{1,20}[А-ЯЁA-Zа-яёa-z]?$")
_SEPARATORS = re.compile(r"[\s\-–—/._]")


class QueryKind(enum.Enum):
    NUMBER = "number"
    EMAIL = "email"
    TEXT = "text"


@attrs.frozen
class AccountQuery:
    """What an operator typed: the start of a number, part of an e-mail, or a surname or
    part of an address (compared as residents type: case and `ё`/`е` do not matter)."""

    kind: QueryKind
    text: str

    @classmethod
    def parse(cls, typed: str) -> Self:
        stripped = " ".join(typed.split())
        if len(stripped) < 2:
            raise InvalidValue(
                "query", typed, "Введите хотя бы два знака: номер счёта, фамилию, адрес или e-mail"
            )
        if "@" in stripped:
            return cls(QueryKind.EMAIL, stripped.lower())
        compact = _SEPARATORS.sub("", stripped)
        if _NUMBER.match(compact):
            return cls(QueryKind.NUMBER, re.sub(r"[^0-9]", "", compact))
        return cls(QueryKind.TEXT, normalise_surname(stripped))

    def matches(self, found: AccountFound) -> bool:
        account = found.account
        if self.kind is QueryKind.NUMBER:
            return account.key.startswith(self.text)
        if self.kind is QueryKind.EMAIL:
            emails = [account.email.key if account.email else ""]
            if found.registration is not None:
                emails.append(found.registration.email.key)
            return any(self.text in email for email in emails)
        return self.matches_name_or_address(account.payer_name, found.address)

    def matches_name_or_address(self, payer_name: str, address: str) -> bool:
        """A text query: the start of the payer's name, or any part of the address."""
        return normalise_surname(payer_name).startswith(self.text) or (
            self.text in normalise_surname(address)
        )


def full_address(house_address: str, flat: str) -> str:
    """«г. Тверь, ул. Советская, д. 1, кв. 12»."""
    parts = [house_address] if house_address else []
    if flat:
        parts.append(f"кв. {flat}")
    return ", ".join(parts)


@attrs.frozen
class RegistrationSummary:
    """A registration as an operator may see it: never its password hash."""

    email: Email
    method: ConfirmationMethod
    status: RegistrationStatus
    created_at: dt.datetime
    phone: Phone | None = None
    confirmed_at: dt.datetime | None = None

    @classmethod
    def of(cls, registration: Registration) -> Self:
        return cls(
            registration.email,
            registration.method,
            registration.status,
            registration.created_at,
            registration.phone,
            registration.confirmed_at,
        )

    @property
    def is_confirmed(self) -> bool:
        return self.status is RegistrationStatus.CONFIRMED


@attrs.frozen
class AccountFound:
    """An account with its house's address and its registration, if it has one."""

    account: Account
    house_address: str
    registration: RegistrationSummary | None

    @property
    def address(self) -> str:
        return full_address(self.house_address, self.account.flat)


@attrs.frozen
class Audience:
    """Whom a service message is for: every account, or those of a house, or those listed;
    and of them, with `min_debt`, only those owing at least that much."""

    house_code: str | None = None
    account_keys: frozenset[str] | None = None
    min_debt: Money | None = None

    def describe(self) -> str:
        parts = []
        if self.house_code is not None:
            parts.append(f"дом {self.house_code}")
        if self.account_keys is not None:
            parts.append(f"счета из списка ({len(self.account_keys)})")
        if self.min_debt is not None:
            parts.append(f"долг от {self.min_debt.format()}")
        return ", ".join(parts) or "все счета"


@attrs.frozen
class AudienceMember:
    """An account of an audience, its debt, and the addresses its informing consents
    were last given for (None when never given, or withdrawn since)."""

    account: Account
    debt: Money
    house_address: str = ""
    sms_consented_to: str | None = None
    email_consented_to: str | None = None


@attrs.frozen
class AudiencePage:
    """Members of one page, in key order, and where the next page starts (None: no more)."""

    members: tuple[AudienceMember, ...]
    next_after: str | None
