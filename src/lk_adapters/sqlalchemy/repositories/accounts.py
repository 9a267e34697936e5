"""Accounts in the `accounts` table."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, func, select, update

from lk_adapters.sqlalchemy.driver_sql import DriverSql, decimal_value
from lk_adapters.sqlalchemy.repositories.statements import insert_for
from lk_adapters.sqlalchemy.tables import accounts as table
from lk_core.accounts.account import Account, AccountNumber, ReceiptDelivery
from lk_core.accounts.contacts import Email, Phone

_BILLING_OWNED = ("letter", "house_code", "payer_name", "flat", "rooms", "area", "residents")
_CONTACTS = ("phone", "email")


def _row(account: Account) -> dict[str, Any]:
    return {
        "key": account.key,
        "letter": account.number.letter,
        "house_code": account.house_code,
        "payer_name": account.payer_name,
        "flat": account.flat,
        "rooms": account.rooms,
        "area": account.area,
        "residents": account.residents,
        "phone": account.phone.e164 if account.phone is not None else None,
        "email": account.email.address if account.email is not None else None,
        "delivery": account.delivery.value,
        "sms_informing": account.sms_informing,
        "email_informing": account.email_informing,
    }


# On the driver (driver_sql.py): every signed-in page shows its account.
_COLUMNS = (
    "key, letter, house_code, payer_name, flat, rooms, area, residents, phone, email, "
    "delivery, sms_informing, email_informing"
)
_BY_KEY = DriverSql(f"SELECT {_COLUMNS} FROM accounts WHERE key = :key")  # noqa: S608


def _account(row: Sequence[Any]) -> Account:
    """A row that starts with the columns in table order: Core's `select(table, …)` and
    `_COLUMNS` alike (the operator directory selects more columns after them)."""
    key, letter, house, payer, flat, rooms, area, residents, phone, email, *rest = row[:13]
    delivery, sms_informing, email_informing = rest
    return Account(
        number=AccountNumber(key, letter),
        house_code=house,
        payer_name=payer,
        flat=flat,
        rooms=rooms,
        area=decimal_value(area),
        residents=residents,
        phone=Phone(phone) if phone is not None else None,
        email=Email(email) if email is not None else None,
        delivery=ReceiptDelivery(delivery),
        sms_informing=bool(sms_informing),
        email_informing=bool(email_informing),
    )


class SqlAlchemyAccounts:
    """Accounts by the digits of their number."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def get(self, key: str) -> Account | None:
        row = _BY_KEY.first(self._connection, {"key": key})
        return _account(row) if row is not None else None

    def upsert_from_billing(self, accounts: Sequence[Account]) -> None:
        if not accounts:
            return
        statement = insert_for(self._connection, table)
        new = statement.excluded
        changes: dict[str, Any] = {name: new[name] for name in _BILLING_OWNED}
        changes |= {name: func.coalesce(table.c[name], new[name]) for name in _CONTACTS}
        self._connection.execute(
            statement.on_conflict_do_update(index_elements=["key"], set_=changes),
            [_row(account) for account in accounts],
        )

    def save(self, account: Account) -> None:
        """Store the portal-owned fields; an account not on file is stored whole."""
        row = _row(account)
        portal_owned = {name: row[name] for name in row if name not in ("key", *_BILLING_OWNED)}
        changed = self._connection.execute(
            update(table).where(table.c.key == account.key).values(portal_owned)
        )
        if changed.rowcount == 0:
            self._connection.execute(table.insert().values(row))

    def keys(self) -> set[str]:
        return set(self._connection.execute(select(table.c.key)).scalars())

    def count(self) -> int:
        return self._connection.execute(select(func.count()).select_from(table)).scalar_one()

    def get_many(self, keys: Sequence[str]) -> list[Account]:
        if not keys:
            return []
        query = select(table).where(table.c.key.in_(list(keys)))
        return [_account(row) for row in self._connection.execute(query)]

    def in_house(self, house_code: str) -> list[Account]:
        query = (
            select(table)
            .where(table.c.house_code == house_code)
            .order_by(func.length(table.c.key), table.c.key)
        )
        return [_account(row) for row in self._connection.execute(query)]
