"""The main page's settlements (F9): an account's ledger of one period, per service."""

from __future__ import annotations

import enum
from decimal import Decimal

import attrs

from lk_core.accounts.account import Account
from lk_core.kernel.errors import NotFound
from lk_core.kernel.money import Money
from lk_core.kernel.periods import Period
from lk_core.kernel.read_ahead import expect
from lk_core.ledger.context import LedgerContext
from lk_core.ledger.lines import LedgerLine, Settlement
from lk_core.ledger.ports import LedgerUnitOfWork, SettlementReads


class BalanceKind(enum.Enum):
    """What a balance means to the resident: a positive one is owed, a negative one paid ahead."""

    DEBT = "debt"
    ADVANCE = "advance"
    SETTLED = "settled"

    @classmethod
    def of(cls, balance: Money) -> BalanceKind:
        if balance.kopecks > 0:
            return cls.DEBT
        if balance.kopecks < 0:
            return cls.ADVANCE
        return cls.SETTLED

    @property
    def label_ru(self) -> str:
        return {"debt": "долг", "advance": "аванс", "settled": ""}[self.value]


@attrs.frozen
class ServiceSettlement:
    """One service's settlement in the period, with the service's name as residents know it."""

    line: LedgerLine
    service_name: str
    unit: str = ""

    @property
    def opening(self) -> Money:
        return self.line.opening

    @property
    def charged(self) -> Money:
        return self.line.charged

    @property
    def recalculation(self) -> Money:
        return self.line.recalculation

    @property
    def paid(self) -> Money:
        return self.line.paid

    @property
    def closing(self) -> Money:
        return self.line.closing

    @property
    def opening_kind(self) -> BalanceKind:
        return BalanceKind.of(self.line.opening)

    @property
    def closing_kind(self) -> BalanceKind:
        return BalanceKind.of(self.line.closing)

    @property
    def volume_ru(self) -> str:
        """The billed volume as written in Russian (`14,215`), or "" when not billed by volume."""
        volume: Decimal | None = self.line.volume
        return "" if volume is None else format(volume, "f").replace(".", ",")


@attrs.frozen
class SettlementView:
    """What the main page shows of an account: one period's settlements and the periods to pick.

    An account without a ledger yet has no period, no lines and no settlement.
    """

    account: Account
    period: Period | None
    periods: tuple[Period, ...]
    lines: tuple[ServiceSettlement, ...]
    settlement: Settlement | None

    @property
    def has_ledger(self) -> bool:
        return self.settlement is not None

    @property
    def opening_kind(self) -> BalanceKind:
        return BalanceKind.of(self.settlement.opening if self.settlement else Money(0))

    @property
    def closing_kind(self) -> BalanceKind:
        return BalanceKind.of(self.settlement.closing if self.settlement else Money(0))


def settlement_page(ctx: LedgerContext, account_key: str, period: Period | None) -> SettlementView:
    """The settlements of `period` (by default the newest) for the account (F9).

    `account_key` must come from the signed-in session, never from the request: the use
    case shows whichever account it is given. A period the account has no ledger for is
    `NotFound`, as is an unknown account.
    """
    with ctx.uow_factory(read_only=True) as uow:
        expect(uow, SettlementReads(account_key, period))
        account = uow.accounts.get(account_key)
        if account is None:
            raise NotFound("account", account_key)
        return settlements_of(uow, account, period)


def settlements_of(
    uow: LedgerUnitOfWork, account: Account, period: Period | None
) -> SettlementView:
    """`settlement_page` for an account already read, in the caller's unit of work."""
    account_key = account.key
    periods = tuple(uow.ledger.periods_of(account_key))
    if period is None and not periods:
        return SettlementView(account, None, (), (), None)
    chosen = periods[0] if period is None else period
    if chosen not in periods:
        raise NotFound("period", chosen)
    lines = uow.ledger.lines(account_key, chosen)
    services = {service.code: service for service in uow.services.list()}
    settlement = Settlement.of(account_key, chosen, lines)
    named = []
    for line in settlement.lines:
        service = services.get(line.service_code)
        if service is None:
            named.append(ServiceSettlement(line, line.service_code))
        else:
            named.append(ServiceSettlement(line, service.name, service.unit))
    named.sort(key=lambda item: (item.service_name.casefold(), item.line.service_code))
    return SettlementView(account, chosen, periods, tuple(named), settlement)
