"""Loaded bank registry lines in the `registry_lines` table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Row, select

from lk_adapters.sqlalchemy.repositories.statements import in_code_point_order, insert_for
from lk_adapters.sqlalchemy.tables import registry_lines as table
from lk_core.kernel.money import Money
from lk_core.payments.registry import RegistryLine, RegistryOutcome


def _line(row: Row[Any]) -> RegistryLine:
    return RegistryLine(
        bank=row.bank,
        line_id=row.line_id,
        registry=row.registry,
        line_no=row.line_no,
        account_key=row.account_key,
        paid_on=row.paid_on,
        amount=Money(row.amount),
        order_id=row.order_id,
        payer=row.payer,
        outcome=RegistryOutcome(row.outcome),
    )


class SqlAlchemyRegistryLines:
    """Lines keyed by bank and the bank's operation number."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add_many(self, lines: Sequence[RegistryLine]) -> int:
        if not lines:
            return 0
        rows = [
            {
                "bank": line.bank,
                "line_id": line.line_id,
                "registry": line.registry,
                "line_no": line.line_no,
                "account_key": line.account_key,
                "paid_on": line.paid_on,
                "amount": line.amount.kopecks,
                "order_id": line.order_id,
                "payer": line.payer,
                "outcome": line.outcome.value,
            }
            for line in lines
        ]
        statement = (
            insert_for(self._connection, table)
            .on_conflict_do_nothing(index_elements=["bank", "line_id"])
            .returning(table.c.line_id)
        )
        return len(self._connection.execute(statement, rows).all())

    def known(self, bank: str, line_ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        ids = list(dict.fromkeys(line_ids))
        for start in range(0, len(ids), 500):
            query = select(table.c.line_id).where(
                table.c.bank == bank, table.c.line_id.in_(ids[start : start + 500])
            )
            found.update(self._connection.execute(query).scalars())
        return found

    def paid_on(self, day: dt.date) -> list[RegistryLine]:
        query = (
            select(table)
            .where(table.c.paid_on == day)
            .order_by(
                in_code_point_order(self._connection, table.c.bank),
                in_code_point_order(self._connection, table.c.line_id),
            )
        )
        return [_line(row) for row in self._connection.execute(query)]
