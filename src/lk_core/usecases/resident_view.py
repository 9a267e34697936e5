"""What a page needs to know about who is looking (the signed-in account, a registration)."""

from __future__ import annotations

from lk_core.access.context import AccessContext
from lk_core.access.first_visit import pending_account
from lk_core.access.sign_in import current_session
from lk_core.accounts.account import Account


def account_being_registered(ctx: AccessContext, raw_session: str | None) -> Account:
    """The account a first visit opened the registration form for; showing a step of the
    registration counts as activity, so a resident busy with it is not timed out."""
    current_session(ctx, raw_session)
    with ctx.uow_factory(read_only=True) as uow:
        return pending_account(ctx, uow, raw_session)
