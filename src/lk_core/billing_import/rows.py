"""Row rules for each kind of billing file: from a row's fields to a domain value.

A reader is made once per file (`reader_for`), with the file's column positions and the
keys already known, and is then called for every row; it raises `RowProblem`. Every
text field is checked first (no control characters, no longer than its column).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

import attrs

from lk_core.accounts.account import Account, AccountNumber, House
from lk_core.accounts.contacts import Email, Phone
from lk_core.billing_import.fields import (
    RowProblem,
    date,
    decimal,
    kopecks,
    moment,
    text_field,
    whole,
    yes_no,
)
from lk_core.billing_import.kinds import COLUMNS, FileKind
from lk_core.kernel.errors import DomainError, InvalidValue
from lk_core.kernel.money import Money
from lk_core.kernel.periods import Period
from lk_core.ledger.lines import LedgerRow
from lk_core.ledger.services import Service
from lk_core.payments.payment import Payment, PaymentChannel
from lk_core.readings.meters import DigitCapacity, Meter, MeterKind, TariffZone
from lk_core.readings.reading import EntryStatus, Reading, ReadingSource


@attrs.define
class KnownKeys:
    """What rows may refer to: what is stored, plus what earlier files of this load add."""

    houses: set[str]
    services: set[str]
    accounts: set[str]
    meters: set[str]
    closed_periods: set[int]
    periods_seen: set[int] = attrs.Factory(set)


T = TypeVar("T")
_COLUMN_NAMES = {column.name for columns in COLUMNS.values() for column in columns}
Reader = Callable[[list[str]], Any]


def _field(fields: list[str], columns: dict[str, int], name: str) -> str:
    position = columns.get(name)
    if position is None or position >= len(fields):
        return ""
    return fields[position].strip()


def _account_key(text: str, known: KnownKeys, column: str = "account") -> str:
    if text.isdigit() and text.isascii():
        key = text
    else:
        try:
            key = AccountNumber.parse(text).key
        except DomainError as error:
            raise RowProblem(column, error.message_ru) from None
    if key not in known.accounts:
        raise RowProblem(column, f"лицевой счёт {text} не загружен")
    return key


def _period_code(text: str, known: KnownKeys, cache: dict[str, int]) -> int:
    code = cache.get(text)
    if code is None:
        try:
            code = Period.parse(text).code
        except DomainError as error:
            raise RowProblem("period", error.message_ru) from None
        cache[text] = code
    if code in known.closed_periods:
        raise RowProblem("period", f"период {Period.from_code(code)} закрыт")
    known.periods_seen.add(code)
    return code


def _domain(column: str, make: Callable[[], T]) -> T:
    """Build a domain value; its error names the field it concerns, else `column`."""
    try:
        return make()
    except InvalidValue as error:
        field = error.field if error.field in _COLUMN_NAMES else column
        raise RowProblem(field, error.message_ru) from None
    except DomainError as error:
        raise RowProblem(column, error.message_ru) from None


def _houses(columns: dict[str, int], known: KnownKeys) -> Reader:
    def read(fields: list[str]) -> House:
        def get(name: str) -> str:
            return _field(fields, columns, name)

        area = decimal(get("total_area"), "total_area", integer_digits=12, fraction_digits=2)
        assert area is not None
        house = _domain("house", lambda: House(get("house"), get("address"), area))
        if not house.address:
            raise RowProblem("address", "не указан адрес дома")
        known.houses.add(house.code)
        return house

    return read


def _services(columns: dict[str, int], known: KnownKeys) -> Reader:
    def read(fields: list[str]) -> Service:
        def get(name: str) -> str:
            return _field(fields, columns, name)

        service = _domain(
            "service", lambda: Service(get("service"), get("name"), get("unit"), get("provider"))
        )
        known.services.add(service.code)
        return service

    return read


def _accounts(columns: dict[str, int], known: KnownKeys) -> Reader:
    def read(fields: list[str]) -> Account:
        def get(name: str) -> str:
            return _field(fields, columns, name)

        number = _domain("account", lambda: AccountNumber.parse(get("account")))
        house = get("house")
        if house not in known.houses:
            raise RowProblem("house", f"дом {house} не загружен")
        payer = " ".join(get("payer").split())
        if not payer:
            raise RowProblem("payer", "не указано ФИО плательщика")
        phone = _domain("phone", lambda: Phone.parse(get("phone"))) if get("phone") else None
        email = _domain("email", lambda: Email.parse(get("email"))) if get("email") else None
        area = decimal(get("area"), "area", integer_digits=8, fraction_digits=2)
        assert area is not None
        account = Account(
            number=number,
            house_code=house,
            payer_name=payer,
            flat=get("flat"),
            rooms=whole(get("rooms"), "rooms"),
            area=area,
            residents=whole(get("residents"), "residents"),
            phone=phone,
            email=email,
        )
        known.accounts.add(account.key)
        return account

    return read


_METER_KINDS = {
    "individual": MeterKind.INDIVIDUAL,
    "ипу": MeterKind.INDIVIDUAL,
    "common": MeterKind.COMMON,
    "одпу": MeterKind.COMMON,
}
_ZONES = {zone.value: zone for zone in TariffZone} | {
    zone.label_ru.casefold(): zone for zone in TariffZone
}


def _zones(text: str, column: str) -> tuple[TariffZone, ...]:
    if not text.strip():
        return (TariffZone.SINGLE,)
    try:
        return tuple(_ZONES[part.strip().casefold()] for part in text.split(","))
    except KeyError as error:
        raise RowProblem(column, f"неизвестная тарифная зона «{error.args[0]}»") from None


def _meters(columns: dict[str, int], known: KnownKeys) -> Reader:
    def read(fields: list[str]) -> Meter:
        def get(name: str) -> str:
            return _field(fields, columns, name)

        kind = _METER_KINDS.get(get("kind").casefold())
        if kind is None:
            raise RowProblem("kind", "тип прибора учёта: ИПУ или ОДПУ")
        service = get("service")
        if service not in known.services:
            raise RowProblem("service", f"услуга {service} не загружена")
        account_key = _account_key(get("account"), known) if kind is MeterKind.INDIVIDUAL else None
        house = get("house") or None
        if kind is MeterKind.COMMON and house not in known.houses:
            raise RowProblem("house", f"дом {house or '(пусто)'} не загружен")
        capacity = _domain(
            "integer_digits",
            lambda: DigitCapacity(
                whole(get("integer_digits"), "integer_digits"),
                whole(get("fraction_digits"), "fraction_digits", default=0),
            ),
        )
        meter = _domain(
            "meter",
            lambda: Meter(
                id=get("meter"),
                kind=kind,
                service_code=service,
                serial=get("serial"),
                capacity=capacity,
                zones=_zones(get("zones"), "zones"),
                account_key=account_key,
                house_code=house if kind is MeterKind.COMMON else None,
                installed_on=date(get("installed_on"), "installed_on", optional=True),
                next_verification_on=date(
                    get("next_verification_on"), "next_verification_on", optional=True
                ),
                archived=yes_no(get("archived"), "archived"),
            ),
        )
        known.meters.add(meter.id)
        return meter

    return read


def _decimal_text(text: str, column: str) -> str | None:
    """Volumes and tariffs as exact text: at most 12 integer and 6 fraction digits."""
    value = decimal(text, column, optional=True, integer_digits=12, fraction_digits=6)
    return None if value is None else format(value, "f")


def _ledger(columns: dict[str, int], known: KnownKeys) -> Reader:
    i_account, i_period, i_service = columns["account"], columns["period"], columns["service"]
    i_opening, i_charged, i_paid = columns["opening"], columns["charged"], columns["paid"]
    i_recalc = columns.get("recalculation")
    i_closing = columns.get("closing")
    i_volume, i_tariff = columns.get("volume"), columns.get("tariff")
    i_reason = columns.get("recalculation_reason")
    width = max(columns.values()) + 1
    periods: dict[str, int] = {}
    services = known.services

    def read(fields: list[str]) -> LedgerRow:
        if len(fields) < width:
            fields = fields + [""] * (width - len(fields))
        account = _account_key(fields[i_account].strip(), known)
        period = _period_code(fields[i_period].strip(), known, periods)
        service = fields[i_service].strip()
        if service not in services:
            raise RowProblem("service", f"услуга {service} не загружена")
        opening = kopecks(fields[i_opening], "opening")
        charged = kopecks(fields[i_charged], "charged")
        recalc = (
            kopecks(fields[i_recalc], "recalculation")
            if i_recalc is not None and fields[i_recalc].strip()
            else 0
        )
        paid = kopecks(fields[i_paid], "paid")
        if i_closing is not None and fields[i_closing].strip():
            stated = kopecks(fields[i_closing], "closing")
            if stated != opening + charged + recalc - paid:
                raise RowProblem(
                    "closing",
                    "исходящее сальдо не равно входящему + начислено + перерасчёт − оплачено",
                )
        volume = _decimal_text(fields[i_volume], "volume") if i_volume is not None else None
        tariff = _decimal_text(fields[i_tariff], "tariff") if i_tariff is not None else None
        reason = fields[i_reason].strip() if i_reason is not None else ""
        return (account, period, service, opening, charged, recalc, paid, volume, tariff, reason)

    return read


def _payments(columns: dict[str, int], known: KnownKeys) -> Reader:
    def read(fields: list[str]) -> Payment:
        def get(name: str) -> str:
            return _field(fields, columns, name)

        account = _account_key(get("account"), known)
        paid_on = date(get("date"), "date")
        assert paid_on is not None
        amount = kopecks(get("amount"), "amount")
        if amount <= 0:
            raise RowProblem("amount", "сумма платежа должна быть больше нуля")
        return _domain(
            "payment",
            lambda: Payment(
                get("payment"),
                account,
                paid_on,
                Money(amount),
                PaymentChannel.BILLING,
                get("payer"),
            ),
        )

    return read


_SOURCES = {s.value: s for s in ReadingSource} | {s.label_ru.casefold(): s for s in ReadingSource}
_STATUSES = {s.value: s for s in EntryStatus} | {s.label_ru.casefold(): s for s in EntryStatus}


def _readings(columns: dict[str, int], known: KnownKeys, tz: dt.tzinfo) -> Reader:
    periods: dict[str, int] = {}

    def read(fields: list[str]) -> Reading:
        def get(name: str) -> str:
            return _field(fields, columns, name)

        meter = get("meter")
        if meter not in known.meters:
            raise RowProblem("meter", f"прибор учёта {meter} не загружен")
        zones = _zones(get("zone"), "zone")
        if len(zones) != 1:
            raise RowProblem("zone", "у показания одна тарифная зона")
        zone = zones[0]
        period = Period.from_code(_period_code(get("period"), known, periods))
        # No meter shows more than 12 digits before the comma and 6 after (DigitCapacity).
        value = decimal(get("value"), "value", integer_digits=12, fraction_digits=6)
        assert value is not None
        source = _SOURCES.get(get("source").casefold())
        if source is None:
            raise RowProblem("source", f"неизвестный источник показания «{get('source')}»")
        status = _STATUSES.get(get("status").casefold() or "calculated")
        if status is None:
            raise RowProblem("status", f"неизвестный статус «{get('status')}»")
        if not get("reading"):
            raise RowProblem("reading", "не указан код показания")
        return Reading(
            id=get("reading"),
            meter_id=meter,
            zone=zone,
            period=period,
            value=value,
            taken_at=moment(get("taken_at"), "taken_at", tz),
            source=source,
            status=status,
            rejection_reason=get("reason") if status is EntryStatus.REJECTED else "",
        )

    return read


def _text_checked(kind: FileKind, columns: dict[str, int], read: Reader) -> Reader:
    """`read` after every text field of the row passed `text_field`."""
    checks = [
        (position, column)
        for column in kind.columns
        if (position := columns.get(column.name)) is not None
    ]

    def read_checked(fields: list[str]) -> Any:
        for position, column in checks:
            if position < len(fields):
                text_field(
                    fields[position],
                    column.name,
                    max_length=column.max_length,
                    line_breaks=column.line_breaks,
                )
        return read(fields)

    return read_checked


def reader_for(kind: FileKind, columns: dict[str, int], known: KnownKeys, tz: dt.tzinfo) -> Reader:
    """The row reader for a file of this kind and header."""
    if kind is FileKind.READINGS:
        return _text_checked(kind, columns, _readings(columns, known, tz))
    makers: dict[FileKind, Callable[[dict[str, int], KnownKeys], Reader]] = {
        FileKind.HOUSES: _houses,
        FileKind.SERVICES: _services,
        FileKind.ACCOUNTS: _accounts,
        FileKind.METERS: _meters,
        FileKind.LEDGER: _ledger,
        FileKind.PAYMENTS: _payments,
    }
    return _text_checked(kind, columns, makers[kind](columns, known))


# A ledger row's key: one row per account, period and service in a file (repeats.py).
LedgerKey = tuple[str, int, str]


def ledger_key_reader(
    columns: dict[str, int], known: KnownKeys
) -> Callable[[list[str]], LedgerKey | None]:
    """A ledger row's account, period and service as the row reader reads them (and adding
    nothing to `known`); None when one of them is not valid: the row reader names it."""
    i_account, i_period, i_service = columns["account"], columns["period"], columns["service"]
    width = max(i_account, i_period, i_service) + 1

    def key(fields: list[str]) -> LedgerKey | None:
        if len(fields) < width:
            return None
        service = fields[i_service].strip()
        try:
            account = _account_key(fields[i_account].strip(), known)
            period = Period.parse(fields[i_period]).code
        except (RowProblem, DomainError):
            return None
        if period in known.closed_periods or service not in known.services:
            return None
        return (account, period, service)

    return key
