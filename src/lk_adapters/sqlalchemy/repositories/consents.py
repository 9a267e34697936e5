"""Consent records in the `consents` table."""

from __future__ import annotations

from sqlalchemy import Connection, select

from lk_adapters.sqlalchemy.tables import consents as table
from lk_core.access.registration import Consent, ConsentKind


class SqlAlchemyConsents:
    """Consent records in the order they were made; never changed or removed."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add(self, consent: Consent) -> None:
        self._connection.execute(
            table.insert().values(
                account_key=consent.account_key,
                kind=consent.kind.value,
                text_version=consent.text_version,
                given=consent.given,
                at=consent.at,
                ip=consent.ip,
                user_agent=consent.user_agent,
                address=consent.address,
            )
        )

    def of_account(self, account_key: str) -> list[Consent]:
        query = (
            select(table).where(table.c.account_key == account_key).order_by(table.c.at, table.c.id)
        )
        return [
            Consent(
                account_key=row.account_key,
                kind=ConsentKind(row.kind),
                text_version=row.text_version,
                given=row.given,
                at=row.at,
                ip=row.ip,
                user_agent=row.user_agent,
                address=row.address,
            )
            for row in self._connection.execute(query)
        ]
