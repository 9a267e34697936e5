"""Bank payment registries (F24): loaded whole or not at all, once, and never crediting
a portal order's payment a second time; reconciliation shows what needs a look."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from lk_core.kernel.money import Money
from lk_core.payments.online_payment import confirm_from_provider, order_of
from lk_core.payments.orders import OrderStatus
from lk_core.payments.registry import RegistryOutcome
from lk_core.payments.registry_import import (
    RegistryEntry,
    RegistryRejected,
    import_registry,
    reconcile,
)
from payment_fixtures import IVANOV, PETROVA, Payments, a_payments_portal
from yookassa_server import ProtocolServer, yookassa_server

DAY = dt.date(2026, 3, 2)


@pytest.fixture
def server() -> Iterator[ProtocolServer]:
    with yookassa_server() as running:
        yield running


@pytest.fixture
def portal(server: ProtocolServer) -> Payments:
    return a_payments_portal(server)


def an_entry(line_id: str = "op-1", **changes: Any) -> RegistryEntry:
    fields: dict[str, Any] = {
        "line_no": 2,
        "account_key": IVANOV,
        "paid_on": DAY,
        "amount": Money(150_000),
        "order_id": "",
        "payer": "Иванов И. И.",
    }
    return RegistryEntry(line_id=line_id, **(fields | changes))


def load(portal: Payments, *entries: RegistryEntry, name: str = "reestr.csv") -> Any:
    return import_registry(
        portal.uow_factory, portal.clock, "sberbank", name, list(entries),
        portal.ctx.registry_providers,
    )  # fmt: skip


def outcome(report: Any) -> dict[str, int]:
    return {k.value: v for k, v in report.outcomes.items() if v}


def test_a_payment_without_an_order_is_credited_from_the_registry(portal: Payments) -> None:
    report = load(portal, an_entry("op-1"), an_entry("op-2", account_key=PETROVA))

    assert outcome(report) == {"credited": 2}
    assert portal.credited() == [Money(150_000)]
    assert portal.credited(PETROVA) == [Money(150_000)]


def test_a_registry_loaded_twice_counts_once(portal: Payments) -> None:
    load(portal, an_entry("op-1"), an_entry("op-2"))

    again = load(portal, an_entry("op-1"), an_entry("op-2"), an_entry("op-3"), name="r2.csv")

    assert (again.repeated, outcome(again)) == (2, {"credited": 1})
    assert portal.credited() == [Money(150_000)] * 3


def test_an_unknown_account_rejects_the_whole_registry_naming_its_line(portal: Payments) -> None:
    with pytest.raises(RegistryRejected) as rejected:
        load(portal, an_entry("op-1"), an_entry("op-2", account_key="999999", line_no=3))

    assert rejected.value.problems == [(3, "лицевой счёт 999999 не найден")]
    assert portal.credited() == []


def test_an_operation_twice_in_one_registry_is_an_error(portal: Payments) -> None:
    with pytest.raises(RegistryRejected) as rejected:
        load(portal, an_entry("op-1", line_no=2), an_entry("op-1", line_no=5))

    assert rejected.value.problems == [(5, "операция op-1 повторяется в реестре")]


def test_a_line_naming_a_pending_order_confirms_it_instead_of_crediting_beside_it(
    portal: Payments,
) -> None:
    order_id = portal.pay(amount="1500")

    report = load(portal, an_entry(order_id=order_id))

    assert outcome(report) == {"order": 1}
    assert order_of(portal.ctx, IVANOV, order_id).status is OrderStatus.SUCCEEDED
    assert portal.credited() == [Money(150_000)]


def test_the_same_payment_by_callback_and_by_registry_is_credited_once(
    portal: Payments, server: ProtocolServer
) -> None:
    order_id = portal.pay(amount="1500")
    payment_id = portal.provider_payment(order_id)
    server.book.finish(payment_id, succeeded=True)
    confirm_from_provider(portal.ctx, "yookassa", payment_id)

    report = load(portal, an_entry(order_id=order_id))
    confirm_from_provider(portal.ctx, "yookassa", payment_id)

    assert outcome(report) == {"repeat": 1}
    assert portal.credited() == [Money(150_000)]


def test_a_gorod_payment_is_matched_to_its_pending_order_by_account_and_amount(
    portal: Payments,
) -> None:
    order_id = portal.pay("gorod", amount="1500")
    yookassa_order = portal.pay("yookassa", amount="1500")

    report = load(portal, an_entry())

    assert outcome(report) == {"order": 1}
    assert order_of(portal.ctx, IVANOV, order_id).status is OrderStatus.SUCCEEDED
    # an acquiring order is confirmed by its provider, never guessed from a registry
    assert order_of(portal.ctx, IVANOV, yookassa_order).status is OrderStatus.PENDING
    assert portal.credited() == [Money(150_000)]


def test_a_line_that_disagrees_with_its_order_is_credited_alone_and_reported(
    portal: Payments,
) -> None:
    order_id = portal.pay(amount="1500")

    report = load(portal, an_entry(order_id=order_id, amount=Money(100_000)))

    assert outcome(report) == {"mismatch": 1}
    assert order_of(portal.ctx, IVANOV, order_id).status is OrderStatus.PENDING
    assert portal.credited() == [Money(100_000)]
    found = reconcile(portal.uow_factory, DAY, "Europe/Moscow")
    assert [line.line_id for line in found.mismatched] == ["op-1"]
    assert [order.id for order in found.pending] == [order_id]


def test_reconciliation_lists_pending_orders_and_payments_without_an_order(
    portal: Payments,
) -> None:
    pending = portal.pay(amount="10")
    portal.clock.advance(days=2)
    portal.pay(amount="20")  # made after the day reconciled
    load(portal, an_entry("op-7", amount=Money(77)))

    found = reconcile(portal.uow_factory, DAY, "Europe/Moscow")

    assert [o.id for o in found.pending] == [pending]
    assert [(li.line_id, li.outcome) for li in found.without_order] == [
        ("op-7", RegistryOutcome.CREDITED)
    ]
    assert found.mismatched == ()
