"""Who is looking at a page: the cookie's session and, once signed in, the accounts it may
show (the header's account switcher).

Read in the page's own read-only unit of work, with whatever else the page reads; what
the read implies is written afterwards, and only when due: the session's last-seen time
(once a minute), an expired session forgotten, the shown account falling back to the
registration's own when it was unlinked elsewhere (ADR 0032).
"""

from __future__ import annotations

import datetime as dt

import attrs

from lk_core.access.context import AccessContext
from lk_core.access.first_visit import pending_account
from lk_core.access.linking import ResidentAccounts, accounts_of_session, remember_shown
from lk_core.access.ports import AccessUnitOfWork
from lk_core.access.sessions import Session, session_id_hash
from lk_core.access.sign_in import current_session, keep_alive, keep_alive_due
from lk_core.accounts.account import Account


@attrs.frozen
class Visitor:
    """The session a cookie names, as read (None: no cookie, or an unknown id), and the
    accounts it may show if it is live and signed in."""

    session: Session | None
    accounts: ResidentAccounts | None


def read_visitor(
    ctx: AccessContext, uow: AccessUnitOfWork, raw_session: str | None, now: dt.datetime
) -> Visitor:
    """The visitor, read in the caller's unit of work; writes nothing."""
    if not raw_session:
        return Visitor(None, None)
    session = uow.sessions.get(session_id_hash(raw_session))
    if session is None or session.is_expired(now, ctx.sessions):
        return Visitor(session, None)
    return Visitor(session, accounts_of_session(uow, session))


def upkeep_due(ctx: AccessContext, visitor: Visitor) -> bool:
    """Whether `settle` has anything to write."""
    session = visitor.session
    if session is None:
        return False
    if keep_alive_due(ctx, session, ctx.clock.now()):
        return True
    accounts = visitor.accounts
    return accounts is not None and accounts.shown.key != session.account_key


def settle(ctx: AccessContext, visitor: Visitor) -> ResidentAccounts | None:
    """Write what the read implies; the accounts, if the session is live and signed in."""
    session = visitor.session
    if session is None or not keep_alive(ctx, session, ctx.clock.now()):
        return None
    if visitor.accounts is not None:
        remember_shown(ctx, session, visitor.accounts)
    return visitor.accounts


def visitor_of(ctx: AccessContext, raw_session: str | None) -> Visitor:
    """The visitor, read in a read-only unit of work of its own; writes nothing."""
    if not raw_session:
        return Visitor(None, None)
    with ctx.uow_factory(read_only=True) as uow:
        return read_visitor(ctx, uow, raw_session, ctx.clock.now())


def signed_in_accounts(ctx: AccessContext, raw_session: str | None) -> ResidentAccounts | None:
    """The header of a signed-in page, in one read-only unit of work; None if not signed in."""
    visitor = visitor_of(ctx, raw_session)
    return settle(ctx, visitor) if upkeep_due(ctx, visitor) else visitor.accounts


def account_being_registered(ctx: AccessContext, raw_session: str | None) -> Account:
    """The account a first visit opened the registration form for; showing a step of the
    registration counts as activity, so a resident busy with it is not timed out."""
    current_session(ctx, raw_session)
    with ctx.uow_factory(read_only=True) as uow:
        return pending_account(ctx, uow, raw_session)
