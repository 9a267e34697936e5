"""Payments in the `payments` table."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Row, select

from lk_adapters.sqlalchemy.repositories.statements import insert_for
from lk_adapters.sqlalchemy.tables import payments as table
from lk_core.kernel.money import Money
from lk_core.payments.payment import Payment, PaymentChannel


def _payment(row: Row[Any]) -> Payment:
    return Payment(
        external_id=row.external_id,
        account_key=row.account_key,
        paid_on=row.paid_on,
        amount=Money(row.amount),
        channel=PaymentChannel(row.channel),
        payer=row.payer,
    )


class SqlAlchemyPayments:
    """Payments, each stored once per channel and external id."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add_many(self, payments: Sequence[Payment]) -> int:
        if not payments:
            return 0
        rows = [
            {
                "channel": p.channel.value,
                "external_id": p.external_id,
                "account_key": p.account_key,
                "paid_on": p.paid_on,
                "amount": p.amount.kopecks,
                "payer": p.payer,
            }
            for p in payments
        ]
        statement = (
            insert_for(self._connection, table)
            .on_conflict_do_nothing(index_elements=["channel", "external_id"])
            .returning(table.c.id)
        )
        return len(self._connection.execute(statement, rows).all())

    def of_account(self, account_key: str) -> list[Payment]:
        query = (
            select(table)
            .where(table.c.account_key == account_key)
            .order_by(table.c.paid_on.desc(), table.c.id.desc())
        )
        return [_payment(row) for row in self._connection.execute(query)]
