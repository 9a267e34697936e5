"""Bank payment registries (F24): load payments made outside the portal, and reconcile.

A registry loads whole or not at all. A line already loaded (same bank, same operation
number) is skipped, so a registry loaded twice counts once. A line that is the payment
of a portal order confirms that order instead of being credited beside it: by the
order's number when the bank passes it on, otherwise — for providers that report only
through registries — the oldest pending order of the same account and amount.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Sequence

import attrs

from lk_core.kernel.errors import DomainError
from lk_core.kernel.money import Money
from lk_core.kernel.runtime import Clock, ProgressReporter, no_progress
from lk_core.payments.crediting import PaymentNews, decide
from lk_core.payments.errors import PaymentMismatch
from lk_core.payments.orders import OrderStatus, PaymentOrder
from lk_core.payments.payment import Payment
from lk_core.payments.registry import RegistryLine, RegistryOutcome
from lk_core.unit_of_work import UnitOfWork, UnitOfWorkFactory


@attrs.frozen
class RegistryEntry:
    """One line of a registry as read from its file."""

    line_no: int
    line_id: str
    account_key: str
    paid_on: dt.date
    amount: Money
    order_id: str = ""
    payer: str = ""


class RegistryRejected(DomainError):
    """The registry has bad lines; nothing of it was loaded."""

    code = "registry_rejected"

    def __init__(self, problems: list[tuple[int, str]]) -> None:
        super().__init__(f"Реестр не загружен: ошибок — {len(problems)}")
        self.problems = problems


@attrs.frozen
class RegistryReport:
    lines: int
    repeated: int
    outcomes: dict[RegistryOutcome, int]


def import_registry(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    bank: str,
    registry: str,
    entries: Sequence[RegistryEntry],
    registry_providers: frozenset[str],
    progress: ProgressReporter | None = None,
) -> RegistryReport:
    """Load a registry in one transaction; an unknown account anywhere rejects it whole."""
    progress = progress or no_progress()
    with uow_factory() as uow:
        _check(uow, entries)
        known = uow.registry_lines.known(bank, [e.line_id for e in entries])
        fresh = [e for e in entries if e.line_id not in known]
        matcher = _Matcher(uow, fresh, registry_providers)
        outcomes = dict.fromkeys(RegistryOutcome, 0)
        loaded: list[RegistryLine] = []
        credits: list[Payment] = []
        for done, entry in enumerate(fresh, start=1):
            line = _load_line(uow, clock, bank, registry, entry, matcher, credits)
            outcomes[line.outcome] += 1
            loaded.append(line)
            if done % 500 == 0 or done == len(fresh):
                progress.advance(done, len(fresh))
        uow.payments.add_many(credits)
        uow.registry_lines.add_many(loaded)
        uow.commit()
    return RegistryReport(len(entries), len(entries) - len(loaded), outcomes)


def _check(uow: UnitOfWork, entries: Sequence[RegistryEntry]) -> None:
    accounts = uow.accounts.keys()
    problems = [
        (e.line_no, f"лицевой счёт {e.account_key} не найден")
        for e in entries
        if e.account_key not in accounts
    ]
    seen: set[str] = set()
    for e in entries:
        if e.line_id in seen:
            problems.append((e.line_no, f"операция {e.line_id} повторяется в реестре"))
        seen.add(e.line_id)
    if problems:
        raise RegistryRejected(sorted(problems))


class _Matcher:
    """The orders a registry's lines may meet, read at once and kept current as lines
    confirm them: the orders the lines name, and the pending orders of their accounts."""

    def __init__(
        self, uow: UnitOfWork, entries: Sequence[RegistryEntry], registry_providers: frozenset[str]
    ) -> None:
        self.orders = uow.payment_orders.get_many([e.order_id for e in entries if e.order_id])
        self._waiting: dict[tuple[str, int], list[str]] = {}
        unnamed = [e.account_key for e in entries if not e.order_id]
        for order in uow.payment_orders.pending_of(unnamed):
            if order.provider in registry_providers:
                self.orders.setdefault(order.id, order)
                self._waiting.setdefault((order.account_key, order.amount.kopecks), []).append(
                    order.id
                )

    def order_for(self, entry: RegistryEntry) -> PaymentOrder | None:
        if entry.order_id:
            return self.orders.get(entry.order_id)
        # The oldest pending order of the same account and amount made by the payment's day.
        for order_id in self._waiting.get((entry.account_key, entry.amount.kopecks), []):
            order = self.orders[order_id]
            if order.status is OrderStatus.PENDING and order.created_at.date() <= entry.paid_on:
                return order
        return None

    def changed(self, order: PaymentOrder) -> None:
        self.orders[order.id] = order


def _load_line(
    uow: UnitOfWork,
    clock: Clock,
    bank: str,
    registry: str,
    entry: RegistryEntry,
    matcher: _Matcher,
    credits: list[Payment],
) -> RegistryLine:
    outcome, order_id = _outcome(uow, clock, bank, entry, matcher, credits)
    line = RegistryLine(
        bank=bank,
        line_id=entry.line_id,
        registry=registry,
        line_no=entry.line_no,
        account_key=entry.account_key,
        paid_on=entry.paid_on,
        amount=entry.amount,
        order_id=order_id,
        payer=entry.payer,
        outcome=outcome,
    )
    if outcome in (RegistryOutcome.CREDITED, RegistryOutcome.MISMATCH):
        credits.append(line.as_payment())
    return line


def _outcome(
    uow: UnitOfWork,
    clock: Clock,
    bank: str,
    entry: RegistryEntry,
    matcher: _Matcher,
    credits: list[Payment],
) -> tuple[RegistryOutcome, str]:
    """What the line does, and the order it belongs to ("" for none)."""
    order = matcher.order_for(entry)
    if order is None:
        return (RegistryOutcome.MISMATCH if entry.order_id else RegistryOutcome.CREDITED), (
            entry.order_id
        )
    news = PaymentNews(order.id, entry.account_key, entry.amount, OrderStatus.SUCCEEDED)
    try:
        decision = decide(order, news, clock.now(), f"registry:{bank}")
    except PaymentMismatch:
        return RegistryOutcome.MISMATCH, entry.order_id
    if order.status is OrderStatus.SUCCEEDED:
        return RegistryOutcome.ALREADY_CREDITED, order.id
    if order.status is OrderStatus.CANCELED:
        return RegistryOutcome.MISMATCH, order.id
    if not uow.payment_orders.replace(decision.order, order.status):
        # A callback changed the order while the registry loaded: start again from scratch
        # rather than guess which of the two came first.
        raise RegistryRejected(
            [
                (
                    entry.line_no,
                    f"заказ {order.id} изменился во время загрузки; загрузите реестр ещё раз",
                )
            ]
        )
    matcher.changed(decision.order)
    if decision.payment is not None:
        credits.append(decision.payment)
    return RegistryOutcome.CONFIRMED_ORDER, order.id


@attrs.frozen
class Reconciliation:
    """What needs a person's look on a day (F24)."""

    day: dt.date
    pending: tuple[PaymentOrder, ...]
    without_order: tuple[RegistryLine, ...]
    mismatched: tuple[RegistryLine, ...]


def reconcile(uow_factory: UnitOfWorkFactory, day: dt.date, time_zone: str) -> Reconciliation:
    """Orders made by the end of `day` still pending, and that day's registry lines that
    were credited without an order or disagree with the order they name."""
    zone = zoneinfo.ZoneInfo(time_zone)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=zone)
    with uow_factory(read_only=True) as uow:
        orders = uow.payment_orders.created_before(end)
        lines = uow.registry_lines.paid_on(day)
    return Reconciliation(
        day=day,
        pending=tuple(o for o in orders if o.status is OrderStatus.PENDING),
        without_order=tuple(li for li in lines if li.outcome is RegistryOutcome.CREDITED),
        mismatched=tuple(li for li in lines if li.outcome is RegistryOutcome.MISMATCH),
    )
