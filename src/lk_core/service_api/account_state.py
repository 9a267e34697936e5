"""An account's state for the call centre (F28): what a resident calling about their bill
is asked about — the period's settlements and whether the account is registered in the
portal. Each view is audited with the key that asked (SECURITY.md: views of personal data)."""

from __future__ import annotations

from typing import Protocol

import attrs

from lk_core.access.audit import AuditEvent, AuditKind
from lk_core.access.ports import AuditLog, RegistrationRepository
from lk_core.accounts.account import AccountNumber
from lk_core.accounts.ports import HouseLookup
from lk_core.kernel.errors import NotFound
from lk_core.kernel.periods import Period
from lk_core.kernel.runtime import Clock
from lk_core.kernel.transaction import UnitOfWorkFactory
from lk_core.ledger.ports import LedgerUnitOfWork
from lk_core.ledger.settlements import SettlementView, settlements_of
from lk_core.operator.directory import RegistrationSummary, full_address
from lk_core.service_api.api_keys import ApiKey
from lk_core.service_api.key_management import operator_of


class CallCentreUnitOfWork(LedgerUnitOfWork, Protocol):
    """The ledger's unit of work, registrations, houses for the address, and the audit log."""

    @property
    def registrations(self) -> RegistrationRepository: ...

    @property
    def houses(self) -> HouseLookup: ...

    @property
    def audit(self) -> AuditLog: ...


@attrs.frozen
class AccountState:
    """A period's settlements of an account, its address, and its registration if any
    (never a password hash)."""

    settlements: SettlementView
    address: str
    registration: RegistrationSummary | None


def account_state(
    uow_factory: UnitOfWorkFactory[CallCentreUnitOfWork],
    clock: Clock,
    key: ApiKey,
    number: str,
    period: Period | None,
) -> AccountState:
    """The account's state in `period` (by default its newest); NotFound for an unknown
    account or a period it has no ledger for."""
    account_key = AccountNumber.parse(number).key
    with uow_factory() as uow:
        account = uow.accounts.get(account_key)
        if account is None:
            raise NotFound("account", number)
        settlements = settlements_of(uow, account, period)
        house = uow.houses.get(account.house_code)
        registration = uow.registrations.get(account_key)
        uow.audit.record(
            AuditEvent(
                clock.now(),
                AuditKind.OPERATOR_VIEW,
                account_key,
                actor=operator_of(key).actor,
                details=(("command", "api account state"), ("key_name", key.name)),
            )
        )
        uow.commit()
    return AccountState(
        settlements,
        full_address(house.address if house else "", account.flat),
        RegistrationSummary.of(registration) if registration is not None else None,
    )
