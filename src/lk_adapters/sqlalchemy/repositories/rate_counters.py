"""Rate counters in the `rate_counters` table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import Connection, bindparam, delete, select, update

from lk_adapters.sqlalchemy.repositories.statements import insert_for
from lk_adapters.sqlalchemy.tables import rate_counters as table

# Built once: sign-in and every other guarded form read their windows with it.
_COUNTS = select(table.c.bucket, table.c.window_start, table.c.count).where(
    table.c.bucket.in_(bindparam("buckets", expanding=True)),
    table.c.window_start.in_(bindparam("starts", expanding=True)),
)


class SqlAlchemyRateCounters:
    """Event counts by bucket and window start, shared by every worker process."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def hit(self, bucket: str, window_start: dt.datetime) -> int:
        # One statement, so that concurrent hits are all counted: a conflicting insert
        # waits for the other transaction and then adds to what it committed.
        statement = insert_for(self._connection, table).values(
            bucket=bucket, window_start=window_start, count=1
        )
        statement = statement.on_conflict_do_update(
            index_elements=[table.c.bucket, table.c.window_start],
            set_={"count": table.c.count + 1},
        )
        counted: int = self._connection.execute(statement.returning(table.c.count)).scalar_one()
        return counted

    def reserve(self, bucket: str, window_start: dt.datetime, limit: int) -> bool:
        if limit <= 0:
            return False
        # One statement, like `hit`, that counts only below the limit: a racing reservation
        # waits for the row and then sees what the other committed, so none goes past it.
        statement = insert_for(self._connection, table).values(
            bucket=bucket, window_start=window_start, count=1
        )
        statement = statement.on_conflict_do_update(
            index_elements=[table.c.bucket, table.c.window_start],
            set_={"count": table.c.count + 1},
            where=table.c.count < limit,
        )
        counted = self._connection.execute(statement.returning(table.c.count)).scalar()
        return counted is not None

    def release(self, bucket: str, window_start: dt.datetime) -> None:
        self._connection.execute(
            update(table)
            .where(
                table.c.bucket == bucket,
                table.c.window_start == window_start,
                table.c.count > 0,
            )
            .values(count=table.c.count - 1)
        )

    def counts(self, windows: Sequence[tuple[str, dt.datetime]]) -> list[int]:
        if not windows:
            return []
        asked = {
            "buckets": list(dict.fromkeys(bucket for bucket, _ in windows)),
            "starts": list(dict.fromkeys(start for _, start in windows)),
        }
        # Other pairs of the asked buckets and starts may come back too; only asked ones count.
        found: dict[tuple[str, dt.datetime], int] = {
            (bucket, start): count
            for bucket, start, count in self._connection.execute(_COUNTS, asked)
        }
        return [found.get(window, 0) for window in windows]

    def delete_before(self, window_start: dt.datetime) -> int:
        statement = delete(table).where(table.c.window_start < window_start)
        return self._connection.execute(statement).rowcount
