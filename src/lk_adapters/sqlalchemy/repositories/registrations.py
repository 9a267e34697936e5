"""Registrations in the `registrations` table."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Row, bindparam, delete, func, select

from lk_adapters.sqlalchemy.repositories.statements import upsert
from lk_adapters.sqlalchemy.tables import registrations as table
from lk_core.contacts import Email, Phone
from lk_core.registration import ConfirmationMethod, Registration, RegistrationStatus


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


def _registration(row: Row[Any]) -> Registration:
    return Registration(
        account_key=row.account_key,
        email=Email(row.email),
        password_hash=row.password_hash,
        method=ConfirmationMethod(row.method),
        created_at=row.created_at,
        status=RegistrationStatus(row.status),
        phone=Phone(row.phone) if row.phone is not None else None,
        confirmed_at=row.confirmed_at,
    )


_BY_KEY = select(table).where(table.c.account_key == bindparam("account_key"))  # built once


class SqlAlchemyRegistrations:
    """Registrations by account."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def get(self, account_key: str) -> Registration | None:
        row = self._connection.execute(_BY_KEY, {"account_key": account_key}).first()
        return _registration(row) if row is not None else None

    def save(self, registration: Registration) -> None:
        upsert(self._connection, table, [_row(registration)], key=["account_key"])

    def delete(self, account_key: str) -> None:
        self._connection.execute(delete(table).where(table.c.account_key == account_key))

    def count_with_email(self, email_key: str) -> int:
        query = select(func.count()).where(table.c.email_key == email_key.lower())
        return self._connection.execute(query).scalar_one()
