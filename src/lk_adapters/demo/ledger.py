"""The demo ledger and payments: a year of bills, payments, debts, advances, recalculations.

Each month opens with last month's closing balance; payers pay (mostly) what the previous
bill asked for, so the payments file and the ledger's «Оплачено» agree to the kopeck.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from decimal import Decimal

import attrs

from lk_adapters.demo.catalogue import (
    SERVICES,
    SINGLE_RATE_ELECTRICITY,
    DemoService,
    charge,
    tariff_in,
)
from lk_adapters.demo.flats import DemoAccount, PayingHabit
from lk_adapters.demo.volumes import VolumeBook
from lk_core.kernel.periods import Period
from lk_core.readings.meters import TariffZone


@attrs.frozen
class LedgerEntry:
    """One line of the ledger file."""

    account: DemoAccount
    period: Period
    service: str
    opening: int
    charged: int
    recalculation: int
    paid: int
    volume: Decimal | None
    tariff: Decimal | None
    reason: str = ""

    @property
    def closing(self) -> int:
        return self.opening + self.charged + self.recalculation - self.paid


@attrs.frozen
class DemoPayment:
    """One line of the payments file."""

    id: str
    account: DemoAccount
    paid_on: dt.date
    amount: int
    payer: str


@attrs.frozen
class _Charge:
    charged: int
    volume: Decimal | None
    tariff: Decimal | None


# Recalculations a management company makes, with the grounds printed on the bill.
RECALCULATIONS = (
    ("TKO", "Временное отсутствие проживающих (справка о пребывании)", Decimal(-1)),
    ("GVS", "Температура ГВС ниже нормы (акт проверки качества)", Decimal("-0.15")),
    ("HVS", "Доначисление по результатам проверки ИПУ", Decimal("0.30")),
    ("OTP", "Недогрев жилого помещения (акт обследования)", Decimal("-0.10")),
    ("SOD", "Ненадлежащая уборка подъезда (акт)", Decimal("-0.05")),
)


def _charge_of(
    account: DemoAccount, service: DemoService, period: Period, current: Period, book: VolumeBook
) -> _Charge:
    tariff = tariff_in(service.tariff, period, current)
    if service.code in ("SOD", "KAP"):
        return _Charge(charge(tariff, account.area), account.area, tariff)
    if service.code == "TKO":
        residents = Decimal(account.residents)
        return _Charge(charge(tariff, residents), residents, tariff)
    zones = book.of(account.key, service.code, period)
    volume = sum(zones.values(), Decimal(0))
    if service.code == "EE":
        if TariffZone.DAY in zones:
            # Two-rate electricity: each zone at its own tariff, so no single tariff applies.
            assert service.night_tariff is not None
            night = tariff_in(service.night_tariff, period, current)
            charged = charge(tariff, zones[TariffZone.DAY]) + charge(night, zones[TariffZone.NIGHT])
            return _Charge(charged, volume, None)
        tariff = tariff_in(SINGLE_RATE_ELECTRICITY, period, current)
    return _Charge(charge(tariff, volume), volume, tariff)


def _allocate(amount: int, balances: dict[str, int], charges: dict[str, int]) -> dict[str, int]:
    """Split a payment over services: debts first, an excess in proportion to the bill."""
    owed = {code: max(balance, 0) for code, balance in balances.items()}
    total_owed = sum(owed.values())
    if amount <= total_owed:
        weights, base, spread = owed, dict.fromkeys(owed, 0), amount
    else:
        weights, base, spread = charges, owed, amount - total_owed
    total_weight = sum(weights.values()) or 1
    paid = {code: base[code] + spread * weights[code] // total_weight for code in balances}
    largest = max(balances, key=lambda code: (weights[code], code))
    paid[largest] += amount - sum(paid.values())
    return paid


@attrs.define
class _Payer:
    account: DemoAccount
    cadence: int
    advance_in: Period | None

    def amount(self, rng: random.Random, index: int, period: Period, due: int) -> int:
        habit = self.account.habit
        if due <= 0:
            return 0
        if habit is PayingHabit.DEBTOR:
            return rng.choice((50_000, 100_000, 150_000, 200_000)) if rng.random() < 0.35 else 0
        if habit is PayingHabit.IRREGULAR:
            return due if index % self.cadence == 0 else 0
        if period == self.advance_in:
            return (due * 6 // 100_000 + 1) * 100_000  # a round sum, months ahead
        return due if rng.random() < 0.94 else 0


def simulate_ledger(
    rng: random.Random,
    accounts: Sequence[DemoAccount],
    book: VolumeBook,
    periods: Sequence[Period],
    today: dt.date,
) -> tuple[list[LedgerEntry], list[DemoPayment]]:
    """The ledger lines of every account and period, and the payments behind «Оплачено»."""
    current = periods[-1]
    entries: list[LedgerEntry] = []
    payments: list[DemoPayment] = []
    recalculated = set(rng.sample(range(len(accounts)), 14))
    for number, account in enumerate(accounts):
        charges = {
            period: {s.code: _charge_of(account, s, period, current, book) for s in SERVICES}
            for period in periods
        }
        recalculations = (
            _recalculations(rng, charges, periods[1:-1]) if number in recalculated else {}
        )
        first_bill = {code: c.charged for code, c in charges[periods[0]].items()}
        months_owed = rng.randint(2, 6) if account.habit is PayingHabit.DEBTOR else 1
        balances = {code: amount * months_owed for code, amount in first_bill.items()}
        payer = _Payer(
            account,
            cadence=rng.randint(2, 3),
            advance_in=periods[-3 + rng.randrange(2)]
            if account.habit is PayingHabit.ADVANCE
            else None,
        )
        for index, period in enumerate(periods):
            bill = {code: c.charged for code, c in charges[period].items()}
            amount = payer.amount(rng, index, period, sum(balances.values()))
            paid_on = dt.date(period.year, period.month, rng.randint(1, 28))
            if paid_on > today:
                amount = 0  # this month's payment has not been made yet
            paid = _allocate(amount, balances, bill) if amount else dict.fromkeys(balances, 0)
            if amount:
                payments.append(
                    DemoPayment(
                        f"{paid_on:%Y%m%d}-{len(payments) + 1:05d}",
                        account,
                        paid_on,
                        amount,
                        str(account.payer) if rng.random() < 0.9 else "",
                    )
                )
            for service in SERVICES:
                code = service.code
                line = charges[period][code]
                recalculation, reason = recalculations.get((period, code), (0, ""))
                entry = LedgerEntry(
                    account, period, code, balances[code], line.charged, recalculation,
                    paid[code], line.volume, line.tariff, reason,
                )  # fmt: skip
                entries.append(entry)
                balances[code] = entry.closing
    return entries, payments


def _recalculations(
    rng: random.Random, charges: dict[Period, dict[str, _Charge]], periods: Sequence[Period]
) -> dict[tuple[Period, str], tuple[int, str]]:
    """One recalculation of a line that was charged, with its grounds."""
    service, reason, share = rng.choice(RECALCULATIONS)
    candidates = [p for p in periods if charges[p][service].charged > 0]
    if not candidates:
        return {}
    period = rng.choice(candidates)
    amount = int(charges[period][service].charged * share)
    return {(period, service): (amount, reason)}
