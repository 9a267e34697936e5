"""Payment orders in the `payment_orders` table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError

from lk_adapters.sqlalchemy.driver_sql import DriverSql, optional_utc, utc_value
from lk_adapters.sqlalchemy.tables import payment_orders as table
from lk_core.kernel.money import Money
from lk_core.payments.errors import DuplicateProviderPayment
from lk_core.payments.orders import OrderStatus, PaymentOrder

CHUNK = 500  # ids per IN (…): well under SQLite's and PostgreSQL's parameter limits


def _row(order: PaymentOrder) -> dict[str, Any]:
    return {
        "id": order.id,
        "account_key": order.account_key,
        "provider": order.provider,
        "amount": order.amount.kopecks,
        "created_at": order.created_at,
        "service_code": order.service_code,
        "email": order.email,
        "readings": order.readings,
        "status": order.status.value,
        "provider_payment_id": order.provider_payment_id or None,
        "confirmed_at": order.confirmed_at,
        "confirmed_by": order.confirmed_by,
    }


# On the driver (driver_sql.py): the main page lists an account's newest orders.
_OF_ACCOUNT = DriverSql(
    "SELECT id, account_key, provider, amount, created_at, service_code, email, readings, "
    "status, provider_payment_id, confirmed_at, confirmed_by FROM payment_orders "
    "WHERE account_key = :key ORDER BY created_at DESC, id DESC LIMIT :limit"
)


def _order(row: Sequence[Any]) -> PaymentOrder:
    """A row of the columns in table order: Core's `select(table)` and `_OF_ACCOUNT`'s alike."""
    order_id, account_key, provider, amount, created_at, service_code, *rest = row
    email, readings, status, provider_payment_id, confirmed_at, confirmed_by = rest
    return PaymentOrder(
        id=order_id,
        account_key=account_key,
        provider=provider,
        amount=Money(amount),
        created_at=utc_value(created_at),
        service_code=service_code,
        email=email,
        readings=readings,
        status=OrderStatus(status),
        provider_payment_id=provider_payment_id or "",
        confirmed_at=optional_utc(confirmed_at),
        confirmed_by=confirmed_by,
    )


# One statement with bound parameters: compiled once, whatever the order.
_REPLACE = (
    update(table)
    .where(table.c.id == bindparam("new_id"), table.c.status == bindparam("expected"))
    .values({c.name: bindparam(f"new_{c.name}") for c in table.columns if c.name != "id"})
)


class SqlAlchemyPaymentOrders:
    """Orders by id; a status is changed only from the status the caller read."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add(self, order: PaymentOrder) -> None:
        self._guarded(insert(table), _row(order), order)

    def get(self, order_id: str) -> PaymentOrder | None:
        row = self._connection.execute(select(table).where(table.c.id == order_id)).first()
        return None if row is None else _order(row)

    def by_provider_payment(self, provider: str, provider_payment_id: str) -> PaymentOrder | None:
        query = select(table).where(
            table.c.provider == provider, table.c.provider_payment_id == provider_payment_id
        )
        row = self._connection.execute(query).first()
        return None if row is None else _order(row)

    def replace(self, order: PaymentOrder, expected: OrderStatus) -> bool:
        values = {f"new_{k}": v for k, v in _row(order).items()}
        return self._guarded(_REPLACE, {**values, "expected": expected.value}, order) > 0

    def of_account(self, account_key: str, limit: int) -> list[PaymentOrder]:
        rows = _OF_ACCOUNT.rows(self._connection, {"key": account_key, "limit": limit})
        return [_order(row) for row in rows]

    def get_many(self, order_ids: Sequence[str]) -> dict[str, PaymentOrder]:
        found: dict[str, PaymentOrder] = {}
        ids = list(dict.fromkeys(order_ids))
        for start in range(0, len(ids), CHUNK):
            query = select(table).where(table.c.id.in_(ids[start : start + CHUNK]))
            found.update((row.id, _order(row)) for row in self._connection.execute(query))
        return found

    def pending_of(self, account_keys: Sequence[str]) -> list[PaymentOrder]:
        found: list[PaymentOrder] = []
        keys = list(dict.fromkeys(account_keys))
        for start in range(0, len(keys), CHUNK):
            query = select(table).where(
                table.c.account_key.in_(keys[start : start + CHUNK]),
                table.c.status == OrderStatus.PENDING.value,
            )
            found.extend(_order(row) for row in self._connection.execute(query))
        return sorted(found, key=lambda o: (o.created_at, o.id))

    def created_before(self, moment: dt.datetime) -> list[PaymentOrder]:
        query = (
            select(table)
            .where(table.c.created_at < moment)
            .order_by(table.c.created_at, table.c.id)
        )
        return [_order(row) for row in self._connection.execute(query)]

    def _guarded(self, statement: Any, params: dict[str, Any], order: PaymentOrder) -> int:
        """Run a write; one that sets a provider's payment id runs in a savepoint, so a
        duplicate id leaves the transaction usable (only such a write can break the key)."""
        if not order.provider_payment_id:
            return int(self._connection.execute(statement, params).rowcount)
        try:
            with self._connection.begin_nested():
                return int(self._connection.execute(statement, params).rowcount)
        except IntegrityError as error:
            if order.provider_payment_id and "provider" in str(error.orig).lower():
                raise DuplicateProviderPayment(order.provider, order.provider_payment_id) from None
            raise
