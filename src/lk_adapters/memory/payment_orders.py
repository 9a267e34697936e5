"""Payment orders kept in memory."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from lk_adapters.memory.store import InMemoryStore
from lk_core.payments.errors import DuplicateProviderPayment
from lk_core.payments.orders import OrderStatus, PaymentOrder


class InMemoryPaymentOrders:
    """Orders by id; a provider's payment id belongs to one order."""

    def __init__(self, store: InMemoryStore) -> None:
        self._store = store

    def add(self, order: PaymentOrder) -> None:
        if order.id in self._store.payment_orders:
            raise ValueError(f"order {order.id} exists")
        self._check_unique(order)
        self._store.payment_orders[order.id] = order

    def get(self, order_id: str) -> PaymentOrder | None:
        return self._store.payment_orders.get(order_id)

    def by_provider_payment(self, provider: str, provider_payment_id: str) -> PaymentOrder | None:
        for order in self._store.payment_orders.values():
            if order.provider == provider and order.provider_payment_id == provider_payment_id:
                return order
        return None

    def replace(self, order: PaymentOrder, expected: OrderStatus) -> bool:
        stored = self._store.payment_orders.get(order.id)
        if stored is None or stored.status is not expected:
            return False
        self._check_unique(order)
        self._store.payment_orders[order.id] = order
        return True

    def of_account(self, account_key: str, limit: int) -> list[PaymentOrder]:
        found = [o for o in self._store.payment_orders.values() if o.account_key == account_key]
        return sorted(found, key=lambda o: (o.created_at, o.id), reverse=True)[:limit]

    def get_many(self, order_ids: Sequence[str]) -> dict[str, PaymentOrder]:
        stored = self._store.payment_orders
        return {i: stored[i] for i in order_ids if i in stored}

    def pending_of(self, account_keys: Sequence[str]) -> list[PaymentOrder]:
        wanted = set(account_keys)
        found = [
            o
            for o in self._store.payment_orders.values()
            if o.account_key in wanted and o.status is OrderStatus.PENDING
        ]
        return sorted(found, key=lambda o: (o.created_at, o.id))

    def created_before(self, moment: dt.datetime) -> list[PaymentOrder]:
        found = [o for o in self._store.payment_orders.values() if o.created_at < moment]
        return sorted(found, key=lambda o: (o.created_at, o.id))

    def _check_unique(self, order: PaymentOrder) -> None:
        if not order.provider_payment_id:
            return
        other = self.by_provider_payment(order.provider, order.provider_payment_id)
        if other is not None and other.id != order.id:
            raise DuplicateProviderPayment(order.provider, order.provider_payment_id)
