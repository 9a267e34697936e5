"""The crediting law: whatever order callbacks, repeats and registry lines arrive in, each
payment is credited exactly once, and only a payment that was made."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import empty_sqlite
from lk_adapters.sqlalchemy.migrations import upgrade_database
from lk_adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWorkFactory
from lk_core.kernel.money import Money
from lk_core.payments.online_payment import confirm_from_provider, order_of
from lk_core.payments.orders import OrderStatus
from lk_core.payments.registry_import import RegistryEntry, import_registry
from payment_fixtures import IVANOV, Payments, a_payments_portal
from yookassa_server import ProtocolServer, yookassa_server

DAY = dt.date(2026, 3, 2)


@pytest.fixture(scope="module")
def server() -> Iterator[ProtocolServer]:
    with yookassa_server() as running:
        yield running


# One planned payment: its provider, whether the payer paid, how many callbacks the
# provider sends after it ended, and how many registries carry its bank line.
plans = st.lists(
    st.tuples(
        st.sampled_from(["yookassa", "gorod"]),
        st.booleans(),
        st.integers(0, 3),
        st.integers(0, 2),
    ),
    min_size=1,
    max_size=4,
)


@settings(max_examples=60, deadline=None)
@given(plans=plans, data=st.data())
def test_any_interleaving_of_callbacks_and_registry_lines_credits_each_payment_once(
    server: ProtocolServer, plans: list[tuple[str, bool, int, int]], data: st.DataObject
) -> None:
    interleave(a_payments_portal(server), plans, data)


@settings(max_examples=12, deadline=None)
@given(plans=plans, data=st.data())
def test_the_law_holds_over_sqlite_too(
    server: ProtocolServer, plans: list[tuple[str, bool, int, int]], data: st.DataObject
) -> None:
    with tempfile.TemporaryDirectory() as folder, empty_sqlite(Path(folder)) as engine:
        upgrade_database(engine)
        interleave(a_payments_portal(server, SqlAlchemyUnitOfWorkFactory(engine)), plans, data)


def interleave(
    portal: Payments, plans: list[tuple[str, bool, int, int]], data: st.DataObject
) -> None:
    """Make the planned payments, deliver their news in an order hypothesis picks, and
    check that exactly the payments made and announced were credited, once each."""
    orders = [portal.pay(provider, amount=f"{100 + i}") for i, (provider, *_) in enumerate(plans)]
    events: list[tuple[str, int]] = []
    for i, (provider, paid, callbacks, registries) in enumerate(plans):
        if provider == "yookassa":
            events += [("finish", i)] + [("callback", i)] * callbacks
        if paid:
            events += [("registry", i)] * registries
    events = data.draw(st.permutations(events))
    finished: set[int] = set()

    for kind, i in events:
        provider, paid, _, _ = plans[i]
        if kind == "finish":
            portal.server.book.finish(portal.provider_payment(orders[i]), succeeded=paid)
            finished.add(i)
        elif kind == "callback":
            confirm_from_provider(portal.ctx, "yookassa", portal.provider_payment(orders[i]))
        else:
            entry = RegistryEntry(
                line_no=1,
                line_id=f"op-{i}",
                account_key=IVANOV,
                paid_on=DAY,
                amount=Money((100 + i) * 100),
                order_id=orders[i] if provider == "yookassa" else "",
            )
            import_registry(
                portal.uow_factory, portal.clock, "sberbank", f"r{i}", [entry],
                portal.ctx.registry_providers,
            )  # fmt: skip

    credited = sorted(m.kopecks for m in portal.credited())
    told = [
        (paid and registries > 0)
        or (provider == "yookassa" and i in finished and _called_after_finish(events, i))
        for i, (provider, paid, _, registries) in enumerate(plans)
    ]
    expected = sorted((100 + i) * 100 for i, (_, paid, *_) in enumerate(plans) if paid and told[i])
    assert credited == expected
    for i, (_, paid, _, _) in enumerate(plans):
        status = order_of(portal.ctx, IVANOV, orders[i]).status
        if not told[i]:
            assert status is OrderStatus.PENDING
        else:
            assert status is (OrderStatus.SUCCEEDED if paid else OrderStatus.CANCELED)


def _called_after_finish(events: list[tuple[str, int]], i: int) -> bool:
    mine = [kind for kind, j in events if j == i]
    return "callback" in mine[mine.index("finish") :]
