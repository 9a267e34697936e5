"""«Личные данные» (F18): the billing data of the account shown, read-only."""

from __future__ import annotations

from decimal import Decimal

import attrs

from lk_core.access.app_devices import AppDevice
from lk_core.access.authorization import ensure_may_view
from lk_core.access.email_change import pending_email_change, pending_email_in
from lk_core.access.linking import (
    LinkRequestsOf,
    ResidentAccounts,
    accounts_of_session,
    link_requests_in,
    remember_shown,
    resident_accounts,
)
from lk_core.access.sessions import Session
from lk_core.accounts.account import Account, House, full_address
from lk_core.kernel.errors import NotFound
from lk_core.kernel.read_ahead import expect
from lk_core.personal_data.context import PersonalDataContext
from lk_core.personal_data.ports import PersonalPageReads


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


def personal_data(ctx: PersonalDataContext, session: Session | None) -> PersonalData:
    """The personal data of the account the session shows; `NotFound` when signed out."""
    accounts = resident_accounts(ctx.access, session)
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
        pending_email_change(ctx.access, accounts.registration_key),
    )  # fmt: skip


@attrs.frozen
class PersonalPage:
    """The whole «Личные данные» tab: the data, the link requests both ways, the devices."""

    data: PersonalData
    link_requests: LinkRequestsOf
    devices: tuple[AppDevice, ...]


def personal_page(ctx: PersonalDataContext, session: Session | None) -> PersonalPage:
    """`personal_data`, `link_requests_of` and `devices_of` of the session's registration,
    read in one unit of work told what it reads (on PostgreSQL one statement, ADR 0059);
    `NotFound` when signed out."""
    if session is None or session.registration_key is None:
        raise NotFound("account", None)
    now = ctx.access.clock.now()
    with ctx.uow_factory(read_only=True) as uow:
        expect(uow, PersonalPageReads(session.id_hash))
        accounts = accounts_of_session(uow, session)
        if accounts is None:
            raise NotFound("account", None)
        key = accounts.registration_key
        ensure_may_view(uow, session, accounts.shown.key)
        house = uow.houses.get(accounts.shown.house_code)
        registration = uow.registrations.get(key)
        pending = pending_email_in(uow, key, now)
        requests = link_requests_in(ctx.access, uow, key, now)
        devices = tuple(uow.app_devices.of_registration(key))
    remember_shown(ctx.access, session, accounts)
    if registration is None:
        raise NotFound("registration", key)
    data = PersonalData(accounts, house, registration.email.address, pending)
    return PersonalPage(data, requests, devices)
