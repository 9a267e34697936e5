"""The main page («Главная», F9–F12) read in one transaction: the session, the accounts it
may show, the shown account's settlements of the chosen period and its newest orders.

Residents open this page more than any other; one read-only unit of work instead of one
per part saves a connection checkout, a BEGIN and a ROLLBACK per part (ADR 0032).
"""

from __future__ import annotations

import attrs

from lk_core.access.context import AccessContext
from lk_core.access.sessions import Session, session_id_hash
from lk_core.payment_orders import PaymentOrder
from lk_core.periods import Period
from lk_core.usecases.linked_accounts import (
    ResidentAccounts,
    accounts_of_session,
    remember_shown,
)
from lk_core.usecases.settlements import SettlementView, settlements_of
from lk_core.usecases.sign_in import TOUCH_EVERY, keep_alive

RECENT_ORDERS = 5


@attrs.frozen
class MainPage:
    """Everything the main page shows that the database holds."""

    accounts: ResidentAccounts
    settlements: SettlementView
    recent_orders: tuple[PaymentOrder, ...]


@attrs.frozen
class MainPageRead:
    """What the page's read-only unit of work found: the cookie's session, if any, and the
    page, if that session is live and signed in."""

    session: Session | None
    page: MainPage | None


def main_page(
    ctx: AccessContext, raw_session: str | None, period: Period | None
) -> MainPage | None:
    """The page for a signed-in session's shown account; None for anyone not signed in.

    `period` None is the newest; one the account has no ledger for is `NotFound`.
    """
    return finish_main_page(ctx, read_main_page(ctx, raw_session, period))


def read_main_page(
    ctx: AccessContext, raw_session: str | None, period: Period | None
) -> MainPageRead:
    """`main_page`'s reading, which writes nothing: it never waits for a writer's lock."""
    if not raw_session:
        return MainPageRead(None, None)
    now = ctx.clock.now()
    with ctx.uow_factory(read_only=True) as uow:
        session = uow.sessions.get(session_id_hash(raw_session))
        if session is None or session.is_expired(now, ctx.sessions):
            return MainPageRead(session, None)
        accounts = accounts_of_session(uow, session)
        if accounts is None:
            return MainPageRead(session, None)
        shown = accounts.shown
        orders = tuple(uow.payment_orders.of_account(shown.key, RECENT_ORDERS))
        return MainPageRead(session, MainPage(accounts, settlements_of(uow, shown, period), orders))


def upkeep_due(ctx: AccessContext, read: MainPageRead) -> bool:
    """Whether `finish_main_page` has anything to write: an expired session to forget, a
    last-seen time to refresh (once a minute), a shown account to fall back from."""
    session = read.session
    if session is None:
        return False
    now = ctx.clock.now()
    if session.is_expired(now, ctx.sessions) or now - session.last_seen_at >= TOUCH_EVERY:
        return True
    return read.page is not None and read.page.accounts.shown.key != session.account_key


def finish_main_page(ctx: AccessContext, read: MainPageRead) -> MainPage | None:
    """The page `read_main_page` found, once what it implies is written."""
    session, page = read.session, read.page
    if session is None or not keep_alive(ctx, session, ctx.clock.now()) or page is None:
        return None
    remember_shown(ctx, session, page.accounts)
    return page
