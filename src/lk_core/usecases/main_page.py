"""The main page («Главная», F9–F12) read in one transaction: the session, the accounts it
may show, the shown account's settlements of the chosen period and its newest orders.

Residents open this page more than any other; one read-only unit of work instead of one
per part saves a connection checkout, a BEGIN and a ROLLBACK per part (ADR 0032).
"""

from __future__ import annotations

import attrs

from lk_core.access.context import AccessContext
from lk_core.access.sessions import session_id_hash
from lk_core.payment_orders import PaymentOrder
from lk_core.periods import Period
from lk_core.usecases.linked_accounts import (
    ResidentAccounts,
    accounts_of_session,
    remember_shown,
)
from lk_core.usecases.settlements import SettlementView, settlements_of
from lk_core.usecases.sign_in import keep_alive

RECENT_ORDERS = 5


@attrs.frozen
class MainPage:
    """Everything the main page shows that the database holds."""

    accounts: ResidentAccounts
    settlements: SettlementView
    recent_orders: tuple[PaymentOrder, ...]


def main_page(
    ctx: AccessContext, raw_session: str | None, period: Period | None
) -> MainPage | None:
    """The page for a signed-in session's shown account; None for anyone not signed in.

    `period` None is the newest; one the account has no ledger for is `NotFound`.
    """
    if not raw_session:
        return None
    now = ctx.clock.now()
    page = None
    with ctx.uow_factory(read_only=True) as uow:
        session = uow.sessions.get(session_id_hash(raw_session))
        if session is None:
            return None
        accounts = (
            None if session.is_expired(now, ctx.sessions) else accounts_of_session(uow, session)
        )
        if accounts is not None:
            shown = accounts.shown
            orders = tuple(uow.payment_orders.of_account(shown.key, RECENT_ORDERS))
            page = MainPage(accounts, settlements_of(uow, shown, period), orders)
    if not keep_alive(ctx, session, now) or page is None:
        return None
    remember_shown(ctx, session, page.accounts)
    return page
