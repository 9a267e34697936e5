"""«Личные данные» (F18): the billing data of the account shown, read-only."""

from __future__ import annotations

from decimal import Decimal

import attrs

from lk_core.access.authorization import ensure_may_view
from lk_core.access.context import AccessContext
from lk_core.access.email_change import pending_email_change
from lk_core.access.linking import ResidentAccounts, resident_accounts
from lk_core.access.sessions import Session
from lk_core.accounts.account import Account, House
from lk_core.kernel.errors import NotFound


def full_address(house: House | None, flat: str) -> str:
    """«г. Тверь, ул. Советская, д. 1, кв. 12» (a communal flat: «кв. 5, комн. 2»)."""
    parts = [house.address] if house is not None and house.address else []
    if flat:
        parts.append(f"кв. {flat}")
    return ", ".join(parts)


@attrs.frozen
class PersonalData:
    """What the tab shows: the account as billing has it, and the resident's sign-in."""

    accounts: ResidentAccounts
    house: House | None
    sign_in_email: str
    pending_email: str | None

    @property
    def account(self) -> Account:
        return self.accounts.shown

    @property
    def address(self) -> str:
        return full_address(self.house, self.account.flat)

    @property
    def house_area(self) -> Decimal | None:
        return self.house.total_area if self.house is not None else None

    @property
    def linked(self) -> tuple[Account, ...]:
        """The accounts linked to the registration, without its own."""
        return tuple(a for a in self.accounts.choices if a.key != self.accounts.registration_key)


def personal_data(ctx: AccessContext, session: Session | None) -> PersonalData:
    """The personal data of the account the session shows; `NotFound` when signed out."""
    accounts = resident_accounts(ctx, session)
    if accounts is None or session is None:
        raise NotFound("account", None)
    with ctx.uow_factory(read_only=True) as uow:
        ensure_may_view(uow, session, accounts.shown.key)
        house = uow.houses.get(accounts.shown.house_code)
        registration = uow.registrations.get(accounts.registration_key)
    if registration is None:
        raise NotFound("registration", accounts.registration_key)
    return PersonalData(
        accounts, house, registration.email.address,
        pending_email_change(ctx, accounts.registration_key),
    )  # fmt: skip
