"""Pending verifications of provider notifications in the `payment_verifications` table."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, delete, func, select, update

from lk_adapters.sqlalchemy.driver_sql import utc_value
from lk_adapters.sqlalchemy.repositories.statements import insert_for
from lk_adapters.sqlalchemy.tables import payment_verifications as table
from lk_core.payments.pending_verification import PendingVerification

PROBLEM_LENGTH = 500


def _verification(row: Any) -> PendingVerification:
    return PendingVerification(
        provider=row.provider,
        provider_payment_id=row.provider_payment_id,
        received_at=utc_value(row.received_at),
        next_attempt_at=utc_value(row.next_attempt_at),
        notices=row.notices,
        attempts=row.attempts,
        last_problem=row.last_problem,
    )


def _key(verification: PendingVerification) -> Any:
    return (table.c.provider == verification.provider) & (
        table.c.provider_payment_id == verification.provider_payment_id
    )


class SqlAlchemyPaymentVerifications:
    """Verifications by provider and payment; a claim leases one to a single verifier."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add(self, verification: PendingVerification) -> None:
        # One statement, so that notifications arriving at once all end in one row.
        statement = insert_for(self._connection, table).values(
            provider=verification.provider,
            provider_payment_id=verification.provider_payment_id,
            received_at=verification.received_at,
            next_attempt_at=verification.next_attempt_at,
            notices=verification.notices,
            attempts=verification.attempts,
            last_problem=verification.last_problem[:PROBLEM_LENGTH],
        )
        self._connection.execute(
            statement.on_conflict_do_update(
                index_elements=[table.c.provider, table.c.provider_payment_id],
                set_={"notices": table.c.notices + 1},
            )
        )

    def get(self, provider: str, provider_payment_id: str) -> PendingVerification | None:
        query = select(table).where(
            table.c.provider == provider, table.c.provider_payment_id == provider_payment_id
        )
        row = self._connection.execute(query).first()
        return None if row is None else _verification(row)

    def soonest_due(self) -> dt.datetime | None:
        soonest = self._connection.execute(select(func.min(table.c.next_attempt_at))).scalar()
        return None if soonest is None else utc_value(soonest)

    def claim_due(
        self, now: dt.datetime, limit: int, lease: dt.timedelta
    ) -> list[PendingVerification]:
        due = (
            select(table.c.provider, table.c.provider_payment_id)
            .where(table.c.next_attempt_at <= now)
            .order_by(table.c.next_attempt_at, table.c.provider, table.c.provider_payment_id)
            .limit(limit)
        )
        if self._connection.dialect.name == "postgresql":
            # Rows another verifier has claimed but not yet committed are passed over, not
            # waited for; SQLite runs one writer at a time, and this unit of work already
            # holds the write lock (engine.py), so nobody can claim between read and write.
            due = due.with_for_update(skip_locked=True)
        keys = [tuple(row) for row in self._connection.execute(due)]
        claimed = []
        for provider, payment_id in keys:
            row = self._connection.execute(
                update(table)
                .where(table.c.provider == provider, table.c.provider_payment_id == payment_id)
                .values(next_attempt_at=now + lease, attempts=table.c.attempts + 1)
                .returning(*table.columns)
            ).first()
            if row is not None:
                claimed.append(_verification(row))
        return claimed

    def postpone(self, verification: PendingVerification, at: dt.datetime, problem: str) -> None:
        self._connection.execute(
            update(table)
            .where(_key(verification))
            .values(next_attempt_at=at, last_problem=problem[:PROBLEM_LENGTH])
        )

    def remove(self, verification: PendingVerification) -> bool:
        statement = delete(table).where(_key(verification), table.c.notices == verification.notices)
        return self._connection.execute(statement).rowcount > 0
