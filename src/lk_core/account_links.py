"""Other accounts linked to a resident's registration, to view and switch to (F20)."""

from __future__ import annotations

import datetime as dt

import attrs

from lk_core.access.errors import (
    AccountAlreadyLinked,
    CannotLinkOwnAccount,
    TooManyAccountsForEmail,
)
from lk_core.kernel.policies import RegistrationPolicy


@attrs.frozen
class AccountLink:
    """An account the registration of `registration_key` may see besides its own."""

    registration_key: str
    account_key: str
    linked_at: dt.datetime


def ensure_may_link(
    registration_key: str,
    account_key: str,
    linked: set[str],
    accounts_on_email: int,
    policy: RegistrationPolicy,
) -> None:
    """An account is linked once, never to itself, and an e-mail holds at most N accounts
    (the source guide's «не более 10 лицевых счетов на один e-mail»): its registrations'
    own accounts and the accounts linked to them together."""
    if account_key == registration_key:
        raise CannotLinkOwnAccount()
    if account_key in linked:
        raise AccountAlreadyLinked()
    if accounts_on_email >= policy.accounts_per_email:
        raise TooManyAccountsForEmail(policy.accounts_per_email)
