"""A read-only unit of work on PostgreSQL reads a signed-in page ahead, in one round trip.

Every signed-in page starts with the session a cookie names; on PostgreSQL the session's
lookup also brings back what the page header needs next (the registration's links and
the accounts it may show), and, when the unit of work was told it reads the main page,
all of that page besides (ADR 0059). The repositories below answer from what was read
ahead when asked exactly what it holds, and run their own statement otherwise: what they
return never depends on whether the read ahead guessed right, only how many round trips
it takes. Only read-only units of work read ahead (nothing they hold can go stale by
their own writes); SQLite and the in-memory adapter have no round trips to save.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

import attrs
from sqlalchemy import Connection, Table

from lk_adapters.sqlalchemy import tables
from lk_adapters.sqlalchemy.driver_sql import utc_value
from lk_adapters.sqlalchemy.read_ahead_sql import (
    ANNOUNCEMENT_COLUMNS,
    ANNOUNCEMENT_DATES,
    ANNOUNCEMENT_TIMES,
    LINK_TIMES,
    MAIN_PAGE,
    METER_DATES,
    ORDER_TIMES,
    PAYMENT_DATES,
    PAYMENT_HISTORY,
    PERSONAL_PAGE,
    READING_DECIMALS,
    READING_TIMES,
    READINGS_FORM,
    REGISTRATION_TIMES,
    SETTLEMENTS,
    VISITOR,
    json_row,
    table_row,
)
from lk_adapters.sqlalchemy.repositories import (
    SqlAlchemyAccounts,
    SqlAlchemyLedger,
    SqlAlchemyLinkedAccounts,
    SqlAlchemyMeters,
    SqlAlchemyPayments,
    SqlAlchemyReadings,
    SqlAlchemyServices,
    SqlAlchemySessions,
)
from lk_adapters.sqlalchemy.repositories.accounts import _account
from lk_adapters.sqlalchemy.repositories.announcements import SqlAlchemyAnnouncements, _announcement
from lk_adapters.sqlalchemy.repositories.app_devices import _device
from lk_adapters.sqlalchemy.repositories.houses import _house
from lk_adapters.sqlalchemy.repositories.ledger import _line
from lk_adapters.sqlalchemy.repositories.link_requests import _request
from lk_adapters.sqlalchemy.repositories.meters import _meter
from lk_adapters.sqlalchemy.repositories.payment_orders import SqlAlchemyPaymentOrders, _order
from lk_adapters.sqlalchemy.repositories.readings import _reading
from lk_adapters.sqlalchemy.repositories.registrations import _registration
from lk_adapters.sqlalchemy.repositories.secrets import _secret
from lk_adapters.sqlalchemy.repositories.sessions import _session
from lk_core.access.app_devices import AppDevice
from lk_core.access.link_requests import LinkRequest
from lk_core.access.links import AccountLink
from lk_core.access.one_time_secrets import OneTimeSecret, SecretPurpose
from lk_core.access.registration import Registration
from lk_core.access.sessions import Session
from lk_core.accounts.account import Account, House
from lk_core.announcements.announcement import Announcement
from lk_core.kernel.money import Money
from lk_core.kernel.periods import Period
from lk_core.ledger.lines import LedgerLine
from lk_core.ledger.services import Service
from lk_core.payments.orders import PaymentOrder
from lk_core.payments.payment import Payment, PaymentChannel
from lk_core.readings.meters import Meter
from lk_core.readings.reading import EntryStatus, Reading


@attrs.define
class ReadAhead:
    """What one read-only unit of work read ahead, by the arguments that would ask for it."""

    connection: Connection
    sessions: dict[str, Session | None] = attrs.Factory(dict)
    links: dict[str, list[AccountLink]] = attrs.Factory(dict)
    accounts: dict[str, Account | None] = attrs.Factory(dict)
    periods: dict[str, list[Period]] = attrs.Factory(dict)
    lines: dict[tuple[str, Period], list[LedgerLine]] = attrs.Factory(dict)
    services: list[Service] | None = None
    orders: dict[tuple[str, int], list[PaymentOrder]] = attrs.Factory(dict)
    payments: dict[str, list[Payment]] = attrs.Factory(dict)
    meters: dict[str, list[Meter]] = attrs.Factory(dict)
    # The readings not withdrawn of every meter read ahead, by meter.
    kept_readings: dict[str, list[Reading]] = attrs.Factory(dict)
    # `count_read`'s answers, by account and period.
    meters_read: dict[tuple[str, Period], tuple[int, int]] = attrs.Factory(dict)
    # The announcements that apply on a day, by house and day.
    announcements: dict[tuple[str, dt.date], list[Announcement]] = attrs.Factory(dict)
    houses: dict[str, House | None] = attrs.Factory(dict)
    registrations: dict[str, Registration | None] = attrs.Factory(dict)
    # The latest e-mail change secret, by registration.
    email_changes: dict[str, OneTimeSecret | None] = attrs.Factory(dict)
    # Link requests newest first: those a registration made, those made for an account.
    requests_made: dict[str, list[LinkRequest]] = attrs.Factory(dict)
    requests_for: dict[str, list[LinkRequest]] = attrs.Factory(dict)
    devices: dict[str, list[AppDevice]] = attrs.Factory(dict)

    def visitor(self, id_hash: str) -> None:
        """The session named `id_hash`, its links and the accounts it may show."""
        self._visitor(id_hash, VISITOR.first(self.connection, {"id_hash": id_hash}))

    def main_page(
        self, id_hash: str, period: Period | None, orders: int, today: dt.date | None
    ) -> None:
        """The visitor, and the main page of the account it shows, in one statement; with
        `today`, also its meters read this month and its house's announcements of today."""
        month = None if today is None else Period.of(today)
        params = {
            "id_hash": id_hash,
            "period": _code(period),
            "orders": orders,
            "today": today,
            "read_period": _code(month),
            "accepted": EntryStatus.ACCEPTED.value,
            "calculated": EntryStatus.CALCULATED.value,
        }
        row = MAIN_PAGE.first(self.connection, params)
        self._visitor(id_hash, row)
        if row is None or row[10] is None:
            return
        shown, *settlements, recent, house, meters_read, announcements = row[10:]
        self._settlements(shown, *settlements)
        self.orders[(shown, orders)] = _orders(recent)
        if today is None or month is None:
            return
        in_use, read = meters_read
        self.meters_read[(shown, month)] = (int(in_use), int(read or 0))
        self.announcements[(house, today)] = [
            _announcement_of(values) for values in announcements or ()
        ]

    def personal_page(self, id_hash: str) -> None:
        """The visitor, the shown account's house, and the registration's sign-in data,
        link requests (with their accounts) and devices, in one statement."""
        params = {"id_hash": id_hash, "email_change": SecretPurpose.EMAIL_CHANGE.value}
        row = PERSONAL_PAGE.first(self.connection, params)
        self._visitor(id_hash, row)
        registration_key = row[3] if row is not None else None
        if row is None or registration_key is None:
            return
        house, registration, secret, made, asked, accounts, devices = row[10:]
        shown = self._shown(row[4], registration_key)
        if shown is not None:
            self.houses[shown.house_code] = (
                _house(table_row(tables.houses, house)) if house is not None else None
            )
        self.registrations[registration_key] = (
            _registration(json_row(registration, REGISTRATION_TIMES))
            if registration is not None
            else None
        )
        self.email_changes[registration_key] = (
            _secret(table_row(tables.one_time_secrets, secret)) if secret is not None else None
        )
        self.requests_made[registration_key] = _requests(made)
        self.requests_for[registration_key] = _requests(asked)
        for account in map(_account, accounts or ()):
            self.accounts[account.key] = account
        self.devices[registration_key] = [
            _device(table_row(tables.app_devices, device)) for device in devices or ()
        ]

    def _shown(self, account_key: str | None, registration_key: str) -> Account | None:
        """The account the statement's `shown` picked, as `accounts_of_session` picks it."""
        keys = [registration_key, *(link.account_key for link in self.links[registration_key])]
        found = [a for key in keys if (a := self.accounts.get(key)) is not None]
        return next((a for a in found if a.key == account_key), found[0] if found else None)

    def settlements(self, account_key: str, period: Period | None) -> None:
        """The account, its periods, one period's lines and the services' names."""
        params = {"key": account_key, "period": _code(period)}
        row = SETTLEMENTS.first(self.connection, params)
        assert row is not None  # one row, whatever the tables hold
        account, *settlements = row
        self.accounts[account_key] = _account(account) if account is not None else None
        self._settlements(account_key, *settlements)

    def payment_history(self, account_key: str, orders: int) -> None:
        """The account's newest payment orders and every payment credited to it."""
        row = PAYMENT_HISTORY.first(self.connection, {"key": account_key, "orders": orders})
        assert row is not None  # one row, whatever the tables hold
        recent, payments = row
        self.orders[(account_key, orders)] = _orders(recent)
        self.payments[account_key] = [
            _payment(json_row(payment, dates=PAYMENT_DATES)) for payment in payments or ()
        ]

    def readings_form(self, account_key: str) -> None:
        """The account, its meters, the services, and its meters' readings not withdrawn."""
        params = {"key": account_key, "gone": WITHDRAWN}
        row = READINGS_FORM.first(self.connection, params)
        assert row is not None  # one row, whatever the tables hold
        account, meters, services, readings = row
        self.accounts[account_key] = _account(account) if account is not None else None
        found = [
            _meter(_core_row(tables.meters, json_row(m, dates=METER_DATES))) for m in meters or ()
        ]
        self.meters[account_key] = found
        self.services = [Service(*service) for service in services or ()]
        kept: dict[str, list[Reading]] = {meter.id: [] for meter in found}
        for values in readings or ():
            converted = json_row(values, READING_TIMES, decimals=READING_DECIMALS)
            reading = _reading(_core_row(tables.readings, converted))
            kept[reading.meter_id].append(reading)
        self.kept_readings.update(kept)

    def _visitor(self, id_hash: str, row: Sequence[Any] | None) -> None:
        if row is None:
            self.sessions[id_hash] = None
            return
        session = _session(tuple(row[:8]))
        self.sessions[id_hash] = session
        registration = session.registration_key
        if registration is None:
            return
        links = [
            AccountLink(registration, key, utc_value(linked_at))
            for key, linked_at in (json_row(link, LINK_TIMES) for link in row[8] or ())
        ]
        self.links[registration] = links
        found = {account.key: account for account in map(_account, row[9] or ())}
        for key in (registration, *(link.account_key for link in links)):
            self.accounts[key] = found.get(key)

    def _settlements(
        self, account_key: str, periods: Any, chosen: Any, lines: Any, services: Any
    ) -> None:
        self.periods[account_key] = [Period.from_code(code) for code in periods or ()]
        if chosen is not None:
            self.lines[(account_key, Period.from_code(chosen))] = [_line(r) for r in lines or ()]
        self.services = [Service(*row) for row in services or ()]


def _core_row(table: Table, values: list[Any]) -> Any:
    """Values in the table's column order as Core's `select(table)` gives them, by column
    name: the repositories' own converters read them."""
    return SimpleNamespace(**{c.name: v for c, v in zip(table.columns, values, strict=True)})


WITHDRAWN = [status.value for status in EntryStatus if status.is_withdrawn]


def _code(period: Period | None) -> int | None:
    return None if period is None else period.code


def _orders(rows: Any) -> list[PaymentOrder]:
    return [_order(json_row(row, ORDER_TIMES)) for row in rows or ()]


def _announcement_of(values: list[Any]) -> Announcement:
    """An announcement from its JSON row: its table's columns, then its houses' codes."""
    columns = json_row(values[:ANNOUNCEMENT_COLUMNS], ANNOUNCEMENT_TIMES, ANNOUNCEMENT_DATES)
    return _announcement(_core_row(tables.announcements, columns), values[-1] or ())


def _requests(rows: Any) -> list[LinkRequest]:
    return [_request(table_row(tables.link_requests, row)) for row in rows or ()]


def _payment(row: Sequence[Any]) -> Payment:
    """A payment as `SqlAlchemyPayments` reads it."""
    external_id, account_key, paid_on, amount, channel, payer = row
    return Payment(
        external_id=external_id,
        account_key=account_key,
        paid_on=paid_on,
        amount=Money(amount),
        channel=PaymentChannel(channel),
        payer=payer,
    )


class ReadAheadSessions(SqlAlchemySessions):
    """A session lookup that reads the rest of the page ahead with it."""

    def __init__(self, connection: Connection, ahead: ReadAhead) -> None:
        super().__init__(connection)
        self._ahead = ahead

    def get(self, id_hash: str) -> Session | None:
        if id_hash not in self._ahead.sessions:
            self._ahead.visitor(id_hash)
        return self._ahead.sessions[id_hash]


class ReadAheadLinkedAccounts(SqlAlchemyLinkedAccounts):
    def __init__(self, connection: Connection, ahead: ReadAhead) -> None:
        super().__init__(connection)
        self._ahead = ahead

    def of_registration(self, registration_key: str) -> list[AccountLink]:
        found = self._ahead.links.get(registration_key)
        return list(found) if found is not None else super().of_registration(registration_key)

    def is_linked(self, registration_key: str, account_key: str) -> bool:
        found = self._ahead.links.get(registration_key)
        if found is None:
            return super().is_linked(registration_key, account_key)
        return any(link.account_key == account_key for link in found)


class ReadAheadAccounts(SqlAlchemyAccounts):
    def __init__(self, connection: Connection, ahead: ReadAhead) -> None:
        super().__init__(connection)
        self._ahead = ahead

    def get(self, key: str) -> Account | None:
        if key in self._ahead.accounts:
            return self._ahead.accounts[key]
        return super().get(key)


class ReadAheadLedger(SqlAlchemyLedger):
    def __init__(self, connection: Connection, ahead: ReadAhead) -> None:
        super().__init__(connection)
        self._ahead = ahead

    def periods_of(self, account_key: str) -> list[Period]:
        found = self._ahead.periods.get(account_key)
        return list(found) if found is not None else super().periods_of(account_key)

    def lines(self, account_key: str, period: Period) -> list[LedgerLine]:
        found = self._ahead.lines.get((account_key, period))
        return list(found) if found is not None else super().lines(account_key, period)


class ReadAheadServices(SqlAlchemyServices):
    def __init__(self, connection: Connection, ahead: ReadAhead) -> None:
        super().__init__(connection)
        self._ahead = ahead

    def list(self) -> list[Service]:
        found = self._ahead.services
        return list(found) if found is not None else super().list()


class ReadAheadPaymentOrders(SqlAlchemyPaymentOrders):
    def __init__(self, connection: Connection, ahead: ReadAhead) -> None:
        super().__init__(connection)
        self._ahead = ahead

    def of_account(self, account_key: str, limit: int) -> list[PaymentOrder]:
        found = self._ahead.orders.get((account_key, limit))
        return list(found) if found is not None else super().of_account(account_key, limit)


class ReadAheadPayments(SqlAlchemyPayments):
    def __init__(self, connection: Connection, ahead: ReadAhead) -> None:
        super().__init__(connection)
        self._ahead = ahead

    def of_account(self, account_key: str) -> list[Payment]:
        found = self._ahead.payments.get(account_key)
        return list(found) if found is not None else super().of_account(account_key)


class ReadAheadMeters(SqlAlchemyMeters):
    def __init__(self, connection: Connection, ahead: ReadAhead) -> None:
        super().__init__(connection)
        self._ahead = ahead

    def of_account(self, account_key: str) -> list[Meter]:
        found = self._ahead.meters.get(account_key)
        return list(found) if found is not None else super().of_account(account_key)

    def count_read(self, account_key: str, period: Period) -> tuple[int, int]:
        found = self._ahead.meters_read.get((account_key, period))
        return found if found is not None else super().count_read(account_key, period)


class ReadAheadAnnouncements(SqlAlchemyAnnouncements):
    def __init__(self, connection: Connection, ahead: ReadAhead) -> None:
        super().__init__(connection)
        self._ahead = ahead

    def active_for_house(self, house_code: str, day: dt.date) -> list[Announcement]:
        found = self._ahead.announcements.get((house_code, day))
        return list(found) if found is not None else super().active_for_house(house_code, day)


class ReadAheadReadings(SqlAlchemyReadings):
    def __init__(self, connection: Connection, ahead: ReadAhead) -> None:
        super().__init__(connection)
        self._ahead = ahead

    def of_meters(self, meter_ids: Sequence[str], *, withdrawn: bool = True) -> list[Reading]:
        kept = self._ahead.kept_readings
        if withdrawn or not all(meter_id in kept for meter_id in meter_ids):
            return super().of_meters(meter_ids, withdrawn=withdrawn)
        # By meter in code-point order, then as each meter's were read: the statement's order.
        return [reading for meter_id in sorted(set(meter_ids)) for reading in kept[meter_id]]
