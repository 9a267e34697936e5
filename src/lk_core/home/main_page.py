"""The main page («Главная», F9–F12) read in one transaction: the session, the accounts it
may show, the shown account's settlements of the chosen period, its newest orders, and its
meters with this month's readings (for the summary at the top, ADR 0067).

Residents open this page more than any other; one read-only unit of work instead of one
per part saves a connection checkout, a BEGIN and a ROLLBACK per part (ADR 0032).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

import attrs

from lk_core.access.linking import ResidentAccounts
from lk_core.access.sessions import session_id_hash
from lk_core.access.visitor import Visitor, read_visitor, settle
from lk_core.announcements.announcement import Announcement
from lk_core.announcements.notices import active_announcements
from lk_core.home.context import HomeContext
from lk_core.home.ports import MainPageReads
from lk_core.home.summary import HomeSummary, summary_of
from lk_core.kernel.periods import Period
from lk_core.kernel.read_ahead import expect
from lk_core.ledger.settlements import SettlementView, settlements_of
from lk_core.payments.online_payment import RECENT_ORDERS
from lk_core.payments.orders import PaymentOrder


@attrs.frozen
class MainPage:
    """Everything the main page shows that the database holds."""

    accounts: ResidentAccounts
    settlements: SettlementView
    recent_orders: tuple[PaymentOrder, ...]
    summary: HomeSummary
    # The house's announcements that apply today, outages on top (F31).
    announcements: tuple[Announcement, ...] = ()


@attrs.frozen
class MainPageRead:
    """What the page's read-only unit of work found: who is looking, and the page if they
    are signed in."""

    visitor: Visitor
    page: MainPage | None


def main_page(ctx: HomeContext, raw_session: str | None, period: Period | None) -> MainPage | None:
    """The page for a signed-in session's shown account; None for anyone not signed in.

    `period` None is the newest; one the account has no ledger for is `NotFound`.
    """
    return finish_main_page(ctx, read_main_page(ctx, raw_session, period))


def read_main_page(
    ctx: HomeContext, raw_session: str | None, period: Period | None
) -> MainPageRead:
    """`main_page`'s reading, which writes nothing: it never waits for a writer's lock."""
    with ctx.uow_factory(read_only=True) as uow:
        now = ctx.access.clock.now()
        today = _today(ctx, now)
        if raw_session:
            hint = MainPageReads(session_id_hash(raw_session), period, RECENT_ORDERS, today)
            expect(uow, hint)
        visitor = read_visitor(ctx.access, uow, raw_session, now)
        accounts = visitor.accounts
        if accounts is None:
            return MainPageRead(visitor, None)
        shown = accounts.shown
        view = settlements_of(uow, shown, period)
        orders = tuple(uow.payment_orders.of_account(shown.key, RECENT_ORDERS))
        access = ctx.access
        summary = summary_of(
            view,
            today,
            access.policies.readings,
            access.policies.payment_due_day,
            uow.meters.count_read(shown.key, Period.of(today)),
        )
        notices = active_announcements(uow, shown.house_code, now, access.time_zone)
        return MainPageRead(visitor, MainPage(accounts, view, orders, summary, notices))


def _today(ctx: HomeContext, now: dt.datetime) -> dt.date:
    """Today in the company's calendar, which decides a reading's period (and the day
    announcements apply on: `active_announcements` finds the same day from `now`)."""
    return now.astimezone(zoneinfo.ZoneInfo(ctx.access.time_zone)).date()


def finish_main_page(ctx: HomeContext, read: MainPageRead) -> MainPage | None:
    """The page `read_main_page` found, once what it implies is written."""
    if settle(ctx.access, read.visitor) is None:
        return None
    return read.page
