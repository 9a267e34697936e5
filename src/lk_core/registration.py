"""A resident's registration for an account, and the consents they gave (F3–F6)."""

from __future__ import annotations

import datetime as dt
import enum

import attrs

from lk_core.access.errors import TooManyAccountsForEmail
from lk_core.accounts.contacts import Email, Phone
from lk_core.kernel.policies import RegistrationPolicy


class ConfirmationMethod(enum.Enum):
    EMAIL = "email"
    SMS = "sms"


class RegistrationStatus(enum.Enum):
    PENDING = "pending"
    CONFIRMED = "confirmed"


class ConsentKind(enum.Enum):
    """Each consent is a separate document (152-ФЗ since 01.09.2025)."""

    PERSONAL_DATA = "personal_data"
    SMS_INFORMING = "sms_informing"
    EMAIL_INFORMING = "email_informing"
    EMAIL_RECEIPT = "email_receipt"


@attrs.frozen
class Consent:
    """A consent given or withdrawn: which text, when, from where, to which address."""

    account_key: str
    kind: ConsentKind
    text_version: str
    given: bool
    at: dt.datetime
    ip: str = ""
    user_agent: str = ""
    address: str = ""


@attrs.define
class Registration:
    """The resident's sign-in for one account: e-mail, password hash, confirmation state."""

    account_key: str
    email: Email
    password_hash: str
    method: ConfirmationMethod
    created_at: dt.datetime
    status: RegistrationStatus = RegistrationStatus.PENDING
    phone: Phone | None = None
    confirmed_at: dt.datetime | None = None

    @property
    def is_confirmed(self) -> bool:
        return self.status is RegistrationStatus.CONFIRMED

    def confirm(self, at: dt.datetime) -> None:
        self.status = RegistrationStatus.CONFIRMED
        self.confirmed_at = at

    def change_password_hash(self, new_hash: str) -> None:
        self.password_hash = new_hash


def ensure_email_has_room(registered_with_email: int, policy: RegistrationPolicy) -> None:
    """At most N accounts per e-mail address (F6; the source guide says 10)."""
    if registered_with_email >= policy.accounts_per_email:
        raise TooManyAccountsForEmail(policy.accounts_per_email)
