"""One account's settlements read in one transaction with the caller's session: the JSON
API's most frequent read, done as the main page does it (ADR 0032)."""

from __future__ import annotations

import attrs

from lk_core.access.visitor import Visitor, read_visitor
from lk_core.home.context import HomeContext
from lk_core.kernel.errors import NotFound
from lk_core.kernel.periods import Period
from lk_core.ledger.settlements import SettlementView, settlements_of


@attrs.frozen
class SettlementsRead:
    """Who asked, and the account's settlements if they are signed in."""

    visitor: Visitor
    settlements: SettlementView | None


def read_account_settlements(
    ctx: HomeContext, raw_session: str | None, account_key: str, period: Period | None
) -> SettlementsRead:
    """The settlements of an account the session may see; writes nothing. Anyone not
    signed in gets no settlements; an account the session may not see is `NotFound`."""
    with ctx.uow_factory(read_only=True) as uow:
        visitor = read_visitor(ctx.access, uow, raw_session, ctx.access.clock.now())
        accounts = visitor.accounts
        if accounts is None:
            return SettlementsRead(visitor, None)
        account = next((a for a in accounts.choices if a.key == account_key), None)
        if account is None:
            raise NotFound("account", account_key)
        return SettlementsRead(visitor, settlements_of(uow, account, period))
