"""Account links in the `linked_accounts` table."""

from __future__ import annotations

from sqlalchemy import Connection, delete, exists, func, select

from lk_adapters.sqlalchemy.repositories.statements import in_code_point_order, insert_for
from lk_adapters.sqlalchemy.tables import linked_accounts as table
from lk_adapters.sqlalchemy.tables import registrations
from lk_core.account_links import AccountLink


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
        query = (
            select(table)
            .where(table.c.registration_key == registration_key)
            .order_by(table.c.linked_at, in_code_point_order(self._connection, table.c.account_key))
        )
        return [
            AccountLink(row.registration_key, row.account_key, row.linked_at)
            for row in self._connection.execute(query)
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
