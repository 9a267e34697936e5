"""The statements that read a signed-in page ahead on PostgreSQL, in one round trip each.

A page's reads depend on each other (the session names the registration, the registration
its links, the links the accounts, the shown account its ledger), so sent one by one they
cost a round trip each; PostgreSQL resolves the same chain inside one statement: common
table expressions name each step, and each step's rows come back as one JSON array
column of the statement's one row (ADR 0059). Values JSON cannot carry exactly travel as
text: numerics (`area::text`), and times as ISO text with their offset.

Each read here runs exactly the SQL of the repository method it stands in for (the same
columns, filters and order): `read_ahead.py` hands its rows to the same converters.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Date, Table

from lk_adapters.sqlalchemy import tables
from lk_adapters.sqlalchemy.driver_sql import DriverSql
from lk_adapters.sqlalchemy.types import ExactDecimal, UtcDateTime

# The visitor: the session, its registration's links and the accounts it may show.
_VISITOR = """
WITH s AS (
    SELECT id_hash, created_at, last_seen_at, registration_key, account_key,
           pending_account_key, device_id, expires_at
    FROM sessions WHERE id_hash = :id_hash
), l AS (
    SELECT account_key, linked_at FROM linked_accounts
    WHERE registration_key = (SELECT registration_key FROM s)
), a AS (
    SELECT key, letter, house_code, payer_name, flat, rooms, area, residents, phone, email,
           delivery, sms_informing, email_informing
    FROM accounts
    -- One list of keys, not `key = … OR key IN (…)`: PostgreSQL reads an OR of the two
    -- by scanning every account (8.6 ms with 50,000), the list by the primary key.
    WHERE key IN (SELECT registration_key FROM s UNION ALL SELECT account_key FROM l)
)"""

_VISITOR_COLUMNS = """
SELECT s.id_hash, s.created_at, s.last_seen_at, s.registration_key, s.account_key,
       s.pending_account_key, s.device_id, s.expires_at,
       (SELECT json_agg(json_build_array(account_key, linked_at)
                        ORDER BY linked_at, account_key COLLATE "C") FROM l),
       (SELECT json_agg(json_build_array(key, letter, house_code, payer_name, flat, rooms,
                                         area::text, residents, phone, email, delivery,
                                         sms_informing, email_informing)) FROM a)"""

# The main page besides: the account it will show (as `accounts_of_session` picks it).
_SHOWN = """, shown AS (
    SELECT COALESCE(
        (SELECT key FROM a WHERE key = (SELECT account_key FROM s)),
        (SELECT key FROM a WHERE key = (SELECT registration_key FROM s)),
        (SELECT a.key FROM a JOIN l ON l.account_key = a.key
         ORDER BY l.linked_at, l.account_key COLLATE "C" LIMIT 1)
    ) AS key
)"""


# The settlements of the account `{key}`: CTEs, then columns: its periods, the chosen one
# (`:period`, or the newest), that period's lines, the services.
_LEDGER = """, p AS (
    SELECT DISTINCT period FROM ledger_lines WHERE account_key = {key}
), chosen AS (
    SELECT COALESCE(CAST(:period AS integer), (SELECT max(period) FROM p)) AS period
)"""
_LEDGER_COLUMNS = """,
       (SELECT json_agg(period ORDER BY period DESC) FROM p),
       (SELECT period FROM chosen),
       (SELECT json_agg(json_build_array(account_key, period, service_code, opening, charged,
                                         recalculation, paid, volume::text, tariff::text,
                                         recalculation_reason)
                        ORDER BY service_code COLLATE "C")
        FROM ledger_lines
        WHERE account_key = {key} AND period = (SELECT period FROM chosen))"""
_SERVICES_COLUMN = """,
       (SELECT json_agg(json_build_array(code, name, unit, provider) ORDER BY code COLLATE "C")
        FROM services)"""
# A column: the newest `:orders` payment orders of the account `{key}`.
_ORDERS_COLUMN = """,
       (SELECT json_agg(json_build_array(id, account_key, provider, amount, created_at,
                                         service_code, email, readings, status,
                                         provider_payment_id, confirmed_at, confirmed_by)
                        ORDER BY created_at DESC, id DESC)
        FROM (SELECT * FROM payment_orders WHERE account_key = {key}
              ORDER BY created_at DESC, id DESC LIMIT :orders) o)"""
_ACCOUNT = """
SELECT (SELECT json_build_array(key, letter, house_code, payer_name, flat, rooms, area::text,
                                residents, phone, email, delivery, sms_informing,
                                email_informing)
        FROM accounts WHERE key = :key)"""
_PAYMENTS_COLUMN = """,
       (SELECT json_agg(json_build_array(external_id, account_key, paid_on, amount, channel,
                                         payer)
                        ORDER BY paid_on DESC, id DESC)
        FROM payments WHERE account_key = :key)"""
_SHOWN_KEY = "(SELECT key FROM shown)"
# The shown account's house, then two columns of the company's day `:today` (NULL: none
# asked for): as `SqlAlchemyMeters.count_read`, the account's meters in use and those
# with a standing reading (`:accepted`, `:calculated`) in `:read_period`; as
# `SqlAlchemyAnnouncements.active_for_house`, the house's announcements that apply that
# day and are not withdrawn, each with the houses it is for (NULL when for every house).
_HOUSE = "(SELECT house_code FROM a WHERE key = (SELECT key FROM shown))"
_TODAY_COLUMNS = """,
       {house},
       (SELECT json_build_array(
                   COUNT(*),
                   SUM(CASE WHEN EXISTS (SELECT 1 FROM readings r WHERE r.meter_id = m.id
                                         AND r.period = CAST(:read_period AS integer)
                                         AND r.status IN (:accepted, :calculated))
                            THEN 1 ELSE 0 END))
        FROM meters m WHERE m.account_key = {key} AND NOT m.archived),
       (SELECT json_agg(json_build_array({announcements},
                                         CASE WHEN n.all_houses THEN NULL ELSE
                                         (SELECT json_agg(house_code) FROM announcement_houses h
                                          WHERE h.announcement_id = n.id) END)
                        ORDER BY n.id COLLATE "C")
        FROM announcements n
        WHERE n.starts_on <= CAST(:today AS date) AND n.ends_on >= CAST(:today AS date)
          AND n.withdrawn_at IS NULL
          AND (n.all_houses OR n.id IN (SELECT announcement_id FROM announcement_houses
                                        WHERE house_code = {house})))""".replace("{house}", _HOUSE)


def _text(*parts: str, key: str = ":key") -> str:
    """One statement of constant parts, `{key}` in them standing for the account: a
    parameter or the subquery that picks it (only constant SQL goes into the text)."""
    return "".join(parts).replace("{key}", key)


def _sql(*parts: str, key: str = ":key") -> DriverSql:
    return DriverSql(_text(*parts, key=key))


VISITOR = _sql(_VISITOR, _VISITOR_COLUMNS, "\nFROM s")
_MAIN_PAGE = _text(
    _VISITOR, _SHOWN, _LEDGER, _VISITOR_COLUMNS, ",\n       ", _SHOWN_KEY, _LEDGER_COLUMNS,
    _SERVICES_COLUMN, _ORDERS_COLUMN, _TODAY_COLUMNS, "\nFROM s", key=_SHOWN_KEY,
)  # fmt: skip
# `settlement_page`: the account, then its settlements as above.
SETTLEMENTS = _sql("WITH", _LEDGER.removeprefix(","), _ACCOUNT, _LEDGER_COLUMNS, _SERVICES_COLUMN)
# `payment_history`: the newest orders, and every payment credited.
PAYMENT_HISTORY = _sql("SELECT", _ORDERS_COLUMN.removeprefix(","), _PAYMENTS_COLUMN)


def _json_columns(table: Table, text: tuple[str, ...] = ()) -> str:
    """The table's columns in its own order (Core's `select(table)`), for `json_build_array`;
    those named in `text` as exact text."""
    return ", ".join(f"{c.name}::text" if c.name in text else c.name for c in table.columns)


MAIN_PAGE = DriverSql(_MAIN_PAGE.replace("{announcements}", _json_columns(tables.announcements)))


def _table_json(table: Table, alias: str = "") -> str:
    """`json_build_array` of the table's columns in its own order, exact numbers as text,
    for `table_row` to turn back into what Core's `select(table)` returns."""
    prefix = f"{alias}." if alias else ""
    return "json_build_array({})".format(
        ", ".join(
            f"{prefix}{c.name}::text" if isinstance(c.type, ExactDecimal) else f"{prefix}{c.name}"
            for c in table.columns
        )
    )


# `personal_page`: the visitor, then the shown account's house; the registration (as
# `SqlAlchemyRegistrations` reads it), its latest e-mail change secret (`:email_change`),
# the link requests it made and those made for its own account (newest first), their
# accounts, and its devices not revoked (last used first).
_REGISTRATION = "(SELECT registration_key FROM s)"
PERSONAL_PAGE = _sql(
    _VISITOR,
    _SHOWN,
    _VISITOR_COLUMNS,
    """,
       (SELECT {house} FROM houses
        WHERE code = (SELECT house_code FROM a WHERE key = (SELECT key FROM shown))),
       (SELECT json_build_array(account_key, email, password_hash, method, status, phone,
                                created_at, confirmed_at)
        FROM registrations WHERE account_key = {registration}),
       (SELECT {secret} FROM one_time_secrets
        WHERE subject = {registration} AND purpose = :email_change
        ORDER BY issued_at DESC, id DESC LIMIT 1),
       (SELECT json_agg({request} ORDER BY requested_at DESC, id DESC) FROM link_requests
        WHERE registration_key = {registration}),
       (SELECT json_agg({request} ORDER BY requested_at DESC, id DESC) FROM link_requests
        WHERE account_key = {registration}),
       (SELECT json_agg(json_build_array(key, letter, house_code, payer_name, flat, rooms,
                                         area::text, residents, phone, email, delivery,
                                         sms_informing, email_informing))
        FROM accounts WHERE key IN (
            SELECT account_key FROM link_requests WHERE registration_key = {registration}
            UNION SELECT registration_key FROM link_requests
                  WHERE account_key = {registration})),
       (SELECT json_agg({device} ORDER BY last_used_at DESC, id DESC) FROM app_devices
        WHERE registration_key = {registration} AND revoked_at IS NULL)
FROM s""".replace("{house}", _table_json(tables.houses))
    .replace("{secret}", _table_json(tables.one_time_secrets))
    .replace("{request}", _table_json(tables.link_requests))
    .replace("{device}", _table_json(tables.app_devices))
    .replace("{registration}", _REGISTRATION),
)
REGISTRATION_TIMES = (6, 7)


def table_row(table: Table, values: list[Any]) -> Any:
    """A row of `_table_json` as Core's `select(table)` gives it, by column name: times
    back to aware datetimes in UTC, dates to dates, exact numbers to decimals."""
    converted: dict[str, Any] = {}
    for column, value in zip(table.columns, values, strict=True):
        if value is not None and isinstance(column.type, UtcDateTime):
            value = dt.datetime.fromisoformat(value).astimezone(dt.UTC)
        elif value is not None and isinstance(column.type, Date):
            value = dt.date.fromisoformat(value)
        elif value is not None and isinstance(column.type, ExactDecimal):
            value = Decimal(value)
        converted[column.name] = value
    return SimpleNamespace(**converted)


# `readings_form`: the account, its meters, the services, and the readings of its meters
# that were not withdrawn (`:gone`: the statuses that mean withdrawn).
READINGS_FORM = _sql(
    "WITH m AS (SELECT * FROM meters WHERE account_key = :key)",
    _ACCOUNT,
    """,
       (SELECT json_agg(json_build_array({meters})
                        ORDER BY service_code COLLATE "C", serial COLLATE "C") FROM m)""".replace(
        "{meters}", _json_columns(tables.meters)
    ),
    _SERVICES_COLUMN,
    """,
       (SELECT json_agg(json_build_array({readings})
                        ORDER BY meter_id COLLATE "C", period, taken_at, id COLLATE "C")
        FROM readings
        WHERE meter_id IN (SELECT id FROM m) AND NOT status = ANY(:gone))""".replace(
        "{readings}", _json_columns(tables.readings, ("value",))
    ),
)

# Positions of the times in the JSON rows of links and payment orders, of the dates in
# those of payments.
LINK_TIMES = (1,)
ORDER_TIMES = (4, 10)
PAYMENT_DATES = (2,)
METER_DATES = tuple(n for n, c in enumerate(tables.meters.columns) if c.name.endswith("_on"))
READING_TIMES = tuple(n for n, c in enumerate(tables.readings.columns) if c.name == "taken_at")
READING_DECIMALS = tuple(n for n, c in enumerate(tables.readings.columns) if c.name == "value")
ANNOUNCEMENT_COLUMNS = len(tables.announcements.columns)
ANNOUNCEMENT_DATES = tuple(
    n for n, c in enumerate(tables.announcements.columns) if c.name.endswith("_on")
)
ANNOUNCEMENT_TIMES = tuple(
    n for n, c in enumerate(tables.announcements.columns) if c.name.endswith("_at")
)


def json_row(
    values: list[Any],
    times: tuple[int, ...] = (),
    dates: tuple[int, ...] = (),
    decimals: tuple[int, ...] = (),
) -> list[Any]:
    """A JSON row as the driver returns the table's row: times back to aware datetimes in
    UTC, dates to dates, exact numbers (sent as text) to decimals."""
    for position in times:
        text = values[position]
        if text is not None:
            values[position] = dt.datetime.fromisoformat(text).astimezone(dt.UTC)
    for position in dates:
        text = values[position]
        if text is not None:
            values[position] = dt.date.fromisoformat(text)
    for position in decimals:
        text = values[position]
        if text is not None:
            values[position] = Decimal(text)
    return values
