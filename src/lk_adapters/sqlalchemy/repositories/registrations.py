"""Registrations in the `registrations` table."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, delete, func, select

from lk_adapters.sqlalchemy.driver_sql import DriverSql, optional_utc, utc_value
from lk_adapters.sqlalchemy.repositories.statements import upsert
from lk_adapters.sqlalchemy.tables import registrations as table
from lk_core.access.registration import ConfirmationMethod, Registration, RegistrationStatus
from lk_core.accounts.contacts import Email, Phone


def _row(registration: Registration) -> dict[str, Any]:
    return {
        "account_key": registration.account_key,
        "email": registration.email.address,
        "email_key": registration.email.key,
        "password_hash": registration.password_hash,
        "method": registration.method.value,
        "status": registration.status.value,
        "phone": registration.phone.e164 if registration.phone is not None else None,
        "created_at": registration.created_at,
        "confirmed_at": registration.confirmed_at,
    }


def _registration(row: Any) -> Registration:
    key, email, password_hash, method, status, phone, created_at, confirmed_at = row
    return Registration(
        account_key=key,
        email=Email(email),
        password_hash=password_hash,
        method=ConfirmationMethod(method),
        created_at=utc_value(created_at),
        status=RegistrationStatus(status),
        phone=Phone(phone) if phone is not None else None,
        confirmed_at=optional_utc(confirmed_at),
    )


# On the driver (driver_sql.py): every sign-in reads the registration.
_BY_KEY = DriverSql(
    "SELECT account_key, email, password_hash, method, status, phone, created_at, "
    "confirmed_at FROM registrations WHERE account_key = :account_key"
)


class SqlAlchemyRegistrations:
    """Registrations by account."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def get(self, account_key: str) -> Registration | None:
        row = _BY_KEY.first(self._connection, {"account_key": account_key})
        return _registration(row) if row is not None else None

    def save(self, registration: Registration) -> None:
        upsert(self._connection, table, [_row(registration)], key=["account_key"])

    def delete(self, account_key: str) -> None:
        self._connection.execute(delete(table).where(table.c.account_key == account_key))

    def count_with_email(self, email_key: str) -> int:
        query = select(func.count()).where(table.c.email_key == email_key.lower())
        return self._connection.execute(query).scalar_one()
