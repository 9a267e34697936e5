"""Gathering accounts' receipts for a period from the ledger, meters and readings.

Month close gathers a batch of accounts at once: one query for the accounts, one for
their ledger lines, one for their meters and one for the readings of the month and the
one before, whatever the batch's size; each house is read once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from lk_core.accounts.account import House
from lk_core.kernel.company import Company
from lk_core.kernel.periods import Period
from lk_core.ledger.lines import LedgerLine, Settlement
from lk_core.readings.meters import Meter, TariffZone
from lk_core.readings.reading import EntryStatus
from lk_core.receipts.receipt import MeterLine, ReceiptDocument, recalculations, receipt_lines
from lk_core.unit_of_work import UnitOfWork

Values = dict[tuple[str, TariffZone, Period], Decimal]


def _values(uow: UnitOfWork, meters: Sequence[Meter], period: Period) -> Values:
    """Each zone's reading of the month and the one before; the latest taken wins."""
    values: Values = {}
    ids = [meter.id for meter in meters if not meter.archived]
    for r in uow.readings.of_meters_in(ids, (period.previous(), period)):
        if r.status is not EntryStatus.REJECTED:
            values[r.meter_id, r.zone, r.period] = r.value
    return values


def _meter_lines(
    meters: Sequence[Meter], values: Values, period: Period, names: dict[str, tuple[str, str]]
) -> tuple[MeterLine, ...]:
    """The previous and current values of every zone of the meters still in use."""
    lines = []
    for meter in meters:
        if meter.archived:
            continue
        name, unit = names.get(meter.service_code, (meter.service_code, ""))
        for zone in meter.zones:
            previous = values.get((meter.id, zone, period.previous()))
            current = values.get((meter.id, zone, period))
            lines.append(MeterLine(name, meter.serial, zone.label_ru, unit, previous, current))
    return tuple(lines)


def receipt_documents(
    uow: UnitOfWork,
    company: Company,
    account_keys: Sequence[str],
    period: Period,
    names: dict[str, tuple[str, str]] | None = None,
) -> list[ReceiptDocument]:
    """The receipts of the accounts that exist and have ledger lines in the period, in the
    order of `account_keys`. `names` (service code → name and unit) may be passed in."""
    if names is None:
        names = service_names(uow)
    accounts = {account.key: account for account in uow.accounts.get_many(account_keys)}
    ledger: dict[str, list[LedgerLine]] = defaultdict(list)
    for line in uow.ledger.lines_of_accounts(list(accounts), period):
        ledger[line.account_key].append(line)
    meters: dict[str, list[Meter]] = defaultdict(list)
    for meter in uow.meters.of_accounts([key for key in accounts if key in ledger]):
        meters[meter.account_key or ""].append(meter)
    houses: dict[str, tuple[House | None, tuple[MeterLine, ...]]] = {}
    for code in {accounts[key].house_code for key in ledger}:
        common = uow.meters.of_house(code)
        houses[code] = (
            uow.houses.get(code),
            _meter_lines(common, _values(uow, common, period), period, names),
        )
    values = _values(uow, [m for group in meters.values() for m in group], period)
    documents = []
    for key in account_keys:
        if key not in accounts or key not in ledger:
            continue
        account = accounts[key]
        settlement = Settlement.of(key, period, ledger[key])
        house, common_lines = houses[account.house_code]
        documents.append(
            ReceiptDocument(
                company=company,
                account=account,
                house=house,
                period=period,
                lines=tuple(receipt_lines(settlement, names)),
                individual_meters=_meter_lines(meters[key], values, period, names),
                common_meters=common_lines,
                recalculations=tuple(recalculations(settlement, names)),
                opening=settlement.opening,
                charged=settlement.charged,
                recalculation=settlement.recalculation,
                paid=settlement.paid,
                closing=settlement.closing,
                to_pay=settlement.to_pay,
            )
        )
    return documents


def receipt_document(
    uow: UnitOfWork,
    company: Company,
    account_key: str,
    period: Period,
    names: dict[str, tuple[str, str]] | None = None,
) -> ReceiptDocument | None:
    """One account's receipt for the period, or None when it has no ledger lines in it."""
    found = receipt_documents(uow, company, [account_key], period, names)
    return found[0] if found else None


def service_names(uow: UnitOfWork) -> dict[str, tuple[str, str]]:
    return {service.code: (service.name, service.unit) for service in uow.services.list()}
