"""Gathering one account's receipt for a period from the ledger, meters and readings."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from lk_core.company import Company
from lk_core.ledger import Settlement
from lk_core.meters import Meter, TariffZone
from lk_core.periods import Period
from lk_core.ports import UnitOfWork
from lk_core.readings import EntryStatus
from lk_core.receipts import MeterLine, ReceiptDocument, recalculations, receipt_lines


def _meter_lines(
    uow: UnitOfWork, meters: Sequence[Meter], period: Period, names: dict[str, tuple[str, str]]
) -> list[MeterLine]:
    """The previous and current values of every zone of the meters still in use."""
    meters = [meter for meter in meters if not meter.archived]
    values: dict[tuple[str, TariffZone, Period], Decimal] = {}
    for r in uow.readings.of_meters_in([m.id for m in meters], (period.previous(), period)):
        if r.status is not EntryStatus.REJECTED:
            values[r.meter_id, r.zone, r.period] = r.value  # the latest taken wins
    lines = []
    for meter in meters:
        name, unit = names.get(meter.service_code, (meter.service_code, ""))
        for zone in meter.zones:
            lines.append(
                MeterLine(
                    name,
                    meter.serial,
                    zone.label_ru,
                    unit,
                    values.get((meter.id, zone, period.previous())),
                    values.get((meter.id, zone, period)),
                )
            )
    return lines


def receipt_document(
    uow: UnitOfWork,
    company: Company,
    account_key: str,
    period: Period,
    names: dict[str, tuple[str, str]] | None = None,
    common_cache: dict[str, tuple[MeterLine, ...]] | None = None,
) -> ReceiptDocument | None:
    """The account's receipt for the period, or None when it has no ledger lines in it.

    `names` (service code → name and unit) and `common_cache` (house → its common-house
    meter lines) may be passed in when many receipts are made in one transaction, so the
    services and each house's meters are read once.
    """
    account = uow.accounts.get(account_key)
    if account is None:
        return None
    lines = uow.ledger.lines(account_key, period)
    if not lines:
        return None
    if names is None:
        names = service_names(uow)
    settlement = Settlement.of(account_key, period, lines)
    house = uow.houses.get(account.house_code)
    cache = {} if common_cache is None else common_cache
    if account.house_code not in cache:
        common = _meter_lines(uow, uow.meters.of_house(account.house_code), period, names)
        cache[account.house_code] = tuple(common)
    return ReceiptDocument(
        company=company,
        account=account,
        house=house,
        period=period,
        lines=tuple(receipt_lines(settlement, names)),
        individual_meters=tuple(
            _meter_lines(uow, uow.meters.of_account(account_key), period, names)
        ),
        common_meters=cache[account.house_code],
        recalculations=tuple(recalculations(settlement, names)),
        opening=settlement.opening,
        charged=settlement.charged,
        recalculation=settlement.recalculation,
        paid=settlement.paid,
        closing=settlement.closing,
        to_pay=settlement.to_pay,
    )


def service_names(uow: UnitOfWork) -> dict[str, tuple[str, str]]:
    return {service.code: (service.name, service.unit) for service in uow.services.list()}
