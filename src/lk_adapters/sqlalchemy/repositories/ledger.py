"""The ledger in the `ledger_lines` table, bulk-loaded through the driver itself."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, func, select

from lk_adapters.sqlalchemy.driver_sql import DriverSql, optional_decimal
from lk_adapters.sqlalchemy.repositories.statements import in_code_point_order
from lk_adapters.sqlalchemy.tables import ledger_lines as table
from lk_core.kernel.money import Money
from lk_core.kernel.periods import Period
from lk_core.ledger.lines import LedgerLine, LedgerRow

# The columns in the order of a `LedgerRow`'s fields.
_COLUMNS = (
    "account_key",
    "period",
    "service_code",
    "opening",
    "charged",
    "recalculation",
    "paid",
    "volume",
    "tariff",
    "recalculation_reason",
)
_KEY = _COLUMNS[:3]


def _upsert_sql(placeholder: str) -> str:
    """One INSERT … ON CONFLICT for a row tuple; the same text serves SQLite and PostgreSQL."""
    # Only constant table and column names go into the text; the values are bound.
    replaced = ", ".join(f"{name} = excluded.{name}" for name in _COLUMNS[3:])
    return (
        f"INSERT INTO {table.name} ({', '.join(_COLUMNS)}) "  # noqa: S608
        f"VALUES ({', '.join([placeholder] * len(_COLUMNS))}) "
        f"ON CONFLICT ({', '.join(_KEY)}) DO UPDATE SET {replaced}"
    )


# Built once: ledger files run to millions of rows, loaded a few thousand at a time.
_UPSERT_SQL = {"sqlite": _upsert_sql("?"), "postgresql": _upsert_sql("%s")}


# On the driver (driver_sql.py): the main page reads an account's periods and one's lines.
_LINES = DriverSql(
    f"SELECT {', '.join(_COLUMNS)} FROM ledger_lines "  # noqa: S608 (constant names)
    "WHERE account_key = :key AND period = :period ORDER BY service_code{code_point_order}"
)
_PERIODS = DriverSql(
    "SELECT DISTINCT period FROM ledger_lines WHERE account_key = :key ORDER BY period DESC"
)


def _line(row: Sequence[Any]) -> LedgerLine:
    """A row of `_COLUMNS` in order: Core's `select(table)` and `_LINES`' alike."""
    key, period, service, opening, charged, recalculation, paid, *rest = row
    volume, tariff, reason = rest
    return LedgerLine(
        account_key=key,
        period=Period.from_code(period),
        service_code=service,
        opening=Money(opening),
        charged=Money(charged),
        recalculation=Money(recalculation),
        paid=Money(paid),
        volume=optional_decimal(volume),
        tariff=optional_decimal(tariff),
        recalculation_reason=reason,
    )


class SqlAlchemyLedger:
    """Ledger lines by account, period and service."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._upsert_sql = _UPSERT_SQL[connection.dialect.name]

    def upsert_rows(self, rows: Sequence[LedgerRow]) -> None:
        """Hand the row tuples to the driver's executemany as they are."""
        if rows:
            self._connection.exec_driver_sql(
                self._upsert_sql, rows if isinstance(rows, list) else list(rows)
            )

    def lines(self, account_key: str, period: Period) -> list[LedgerLine]:
        rows = _LINES.rows(self._connection, {"key": account_key, "period": period.code})
        return [_line(row) for row in rows]

    def periods_of(self, account_key: str) -> list[Period]:
        rows = _PERIODS.rows(self._connection, {"key": account_key})
        return [Period.from_code(code) for (code,) in rows]

    def count(self) -> int:
        return self._connection.execute(select(func.count()).select_from(table)).scalar_one()

    def accounts_in(self, period: Period) -> list[str]:
        query = (
            select(table.c.account_key)
            .where(table.c.period == period.code)
            .group_by(table.c.account_key)
            .order_by(in_code_point_order(self._connection, table.c.account_key))
        )
        return list(self._connection.execute(query).scalars())

    def lines_of_accounts(self, account_keys: Sequence[str], period: Period) -> list[LedgerLine]:
        if not account_keys:
            return []
        query = (
            select(table)
            .where(table.c.account_key.in_(list(account_keys)), table.c.period == period.code)
            .order_by(
                in_code_point_order(self._connection, table.c.account_key),
                in_code_point_order(self._connection, table.c.service_code),
            )
        )
        return [_line(row) for row in self._connection.execute(query)]
