"""Online payment and bank registries (F12, F24)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

import attrs

from lk_core.accounts.ports import AccountRepository
from lk_core.ledger.ports import LedgerUnitOfWork
from lk_core.payments.crediting import PaymentNews
from lk_core.payments.orders import OrderStatus, PaymentOrder, ProviderStart
from lk_core.payments.payment import Payment
from lk_core.payments.pending_verification import PendingVerification
from lk_core.payments.registry import RegistryLine


class PaymentOrderRepository(Protocol):
    """Payment orders; a provider's payment id belongs to one order only."""

    def add(self, order: PaymentOrder) -> None:
        """Store a new order."""
        ...

    def get(self, order_id: str) -> PaymentOrder | None:
        """The order with that id."""
        ...

    def by_provider_payment(self, provider: str, provider_payment_id: str) -> PaymentOrder | None:
        """The order a provider's payment belongs to."""
        ...

    def replace(self, order: PaymentOrder, expected: OrderStatus) -> bool:
        """Store the order's new state if its stored status is still `expected`; whether it
        was stored (False: another transaction changed it first, or no such order)."""
        ...

    def of_account(self, account_key: str, limit: int) -> list[PaymentOrder]:
        """An account's newest orders, newest first."""
        ...

    def get_many(self, order_ids: Sequence[str]) -> dict[str, PaymentOrder]:
        """The orders with these ids, by id; unknown ids are left out."""
        ...

    def pending_of(self, account_keys: Sequence[str]) -> list[PaymentOrder]:
        """The pending orders of these accounts, oldest first."""
        ...

    def created_before(self, moment: dt.datetime) -> list[PaymentOrder]:
        """Orders created before `moment`, oldest first."""
        ...


class RegistryLineRepository(Protocol):
    """Lines of bank registries already loaded, each once per bank and operation number."""

    def add_many(self, lines: Sequence[RegistryLine]) -> int:
        """Store lines not seen before; how many were new."""
        ...

    def known(self, bank: str, line_ids: Sequence[str]) -> set[str]:
        """Which of these operation numbers of the bank are loaded already."""
        ...

    def paid_on(self, day: dt.date) -> list[RegistryLine]:
        """The lines of payments made that day, by bank and operation number."""
        ...


class PaymentProvider(Protocol):
    """A payment service the resident is sent to (F12).

    `confirms` is True for an acquiring provider whose payments are confirmed by a
    server-to-server callback and `fetch`; redirect-only providers report through bank
    registries instead, and their `fetch` is never called.
    """

    @property
    def code(self) -> str:
        """The provider's key in forms and callbacks (`gorod`, `yookassa`)."""
        ...

    @property
    def name(self) -> str:
        """The name residents know it by."""
        ...

    @property
    def confirms(self) -> bool: ...

    @property
    def takes_readings(self) -> bool:
        """Whether the provider's page passes meter readings on."""
        ...

    def start(self, order: PaymentOrder, return_url: str) -> ProviderStart:
        """Where to send the resident to pay the order; raises ProviderUnavailable."""
        ...

    def fetch(self, provider_payment_id: str) -> PaymentNews:
        """The provider's own record of a payment; raises ProviderUnavailable."""
        ...


class PaymentRepository(Protocol):
    def add_many(self, payments: Sequence[Payment]) -> int:
        """Add payments not seen before (by channel and external id); return how many were new."""
        ...

    def of_account(self, account_key: str) -> list[Payment]:
        """An account's payments, newest first."""
        ...


class PaymentVerificationRepository(Protocol):
    """Provider notifications waiting to be verified, one per provider's payment (ADR 0053)."""

    def add(self, verification: PendingVerification) -> None:
        """Store a new verification; if the payment has one already, count one more notice
        on it and leave it otherwise as it is."""
        ...

    def get(self, provider: str, provider_payment_id: str) -> PendingVerification | None:
        """The payment's pending verification."""
        ...

    def soonest_due(self) -> dt.datetime | None:
        """When the verification due first is due; None when there is none."""
        ...

    def claim_due(
        self, now: dt.datetime, limit: int, lease: dt.timedelta
    ) -> list[PendingVerification]:
        """Take up to `limit` verifications due at `now`, soonest due first: each is counted
        one attempt more and not due again until `now + lease`; concurrent verifiers
        never claim the same one. Returned as claimed."""
        ...

    def postpone(self, verification: PendingVerification, at: dt.datetime, problem: str) -> None:
        """Make the verification due at `at`, noting why it is not done."""
        ...

    def remove(self, verification: PendingVerification) -> bool:
        """Remove the verification unless another notice arrived since it was read (its
        `notices` changed); whether it was removed."""
        ...


class PaymentsUnitOfWork(LedgerUnitOfWork, Protocol):
    """One transaction over orders, payments and registries, with the settlements an
    order is drawn from."""

    @property
    def accounts(self) -> AccountRepository: ...

    @property
    def payment_orders(self) -> PaymentOrderRepository: ...

    @property
    def payments(self) -> PaymentRepository: ...

    @property
    def registry_lines(self) -> RegistryLineRepository: ...

    @property
    def payment_verifications(self) -> PaymentVerificationRepository: ...


@attrs.frozen
class PaymentHistoryReads:
    """`payment_history`'s reads, told ahead (`lk_core.kernel.read_ahead`): the account's
    `orders` newest payment orders and every payment credited to it."""

    account_key: str
    orders: int
