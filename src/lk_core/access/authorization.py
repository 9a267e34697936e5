"""Who may see which account: a registration's own account and the accounts linked to it.

Every use case that takes an account from a request checks it here first; an account
the resident may not see is answered as if it did not exist (SECURITY.md).
"""

from __future__ import annotations

from lk_core.access.sessions import Session
from lk_core.kernel.errors import NotFound
from lk_core.unit_of_work import UnitOfWork


def viewable_account_keys(uow: UnitOfWork, session: Session | None) -> list[str]:
    """The registration's own account first, then its linked accounts in linking order."""
    if session is None or session.registration_key is None:
        return []
    own = session.registration_key
    return [own, *(link.account_key for link in uow.linked_accounts.of_registration(own))]


def may_view(uow: UnitOfWork, session: Session | None, account_key: str) -> bool:
    if session is None or session.registration_key is None:
        return False
    return account_key == session.registration_key or uow.linked_accounts.is_linked(
        session.registration_key, account_key
    )


def ensure_may_view(uow: UnitOfWork, session: Session | None, account_key: str) -> None:
    """Raise `NotFound` unless the signed-in resident may see the account."""
    if not may_view(uow, session, account_key):
        raise NotFound("account", account_key)
