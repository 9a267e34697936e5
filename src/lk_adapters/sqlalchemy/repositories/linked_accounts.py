"""Account links in the `linked_accounts` table."""

from __future__ import annotations

from sqlalchemy import Connection, delete, exists, func, select

from lk_adapters.sqlalchemy.driver_sql import DriverSql, utc_value
from lk_adapters.sqlalchemy.repositories.statements import insert_for
from lk_adapters.sqlalchemy.tables import linked_accounts as table
from lk_adapters.sqlalchemy.tables import registrations
from lk_core.access.links import AccountLink

# On the driver (driver_sql.py): every signed-in page lists the accounts it may show.
_OF_REGISTRATION = DriverSql(
    "SELECT account_key, linked_at FROM linked_accounts WHERE registration_key = :key "
    "ORDER BY linked_at, account_key{code_point_order}"
)


class SqlAlchemyLinkedAccounts:
    """Links by registration and account."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add(self, link: AccountLink) -> None:
        statement = insert_for(self._connection, table).values(
            registration_key=link.registration_key,
            account_key=link.account_key,
            linked_at=link.linked_at,
        )
        self._connection.execute(statement.on_conflict_do_nothing())

    def remove(self, registration_key: str, account_key: str) -> bool:
        statement = delete(table).where(
            table.c.registration_key == registration_key, table.c.account_key == account_key
        )
        return self._connection.execute(statement).rowcount > 0

    def of_registration(self, registration_key: str) -> list[AccountLink]:
        rows = _OF_REGISTRATION.rows(self._connection, {"key": registration_key})
        return [
            AccountLink(registration_key, account_key, utc_value(linked_at))
            for account_key, linked_at in rows
        ]

    def is_linked(self, registration_key: str, account_key: str) -> bool:
        query = select(
            exists().where(
                table.c.registration_key == registration_key, table.c.account_key == account_key
            )
        )
        return bool(self._connection.execute(query).scalar_one())

    def count_for_email(self, email_key: str) -> int:
        query = (
            select(func.count())
            .select_from(table.join(registrations))
            .where(registrations.c.email_key == email_key.lower())
        )
        return self._connection.execute(query).scalar_one()
