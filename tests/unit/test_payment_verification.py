"""Notifications are stored at once and verified later (ADR 0053): one verification per
payment however many notifications name it, the provider asked again with growing pauses
when it cannot answer, and a verified payment credited once."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from lk_core.kernel.errors import InvalidValue, NotFound
from lk_core.kernel.money import Money
from lk_core.payments.orders import OrderStatus
from lk_core.payments.verification import (
    GIVE_UP_AFTER,
    RETRY_DELAYS,
    VerificationOutcome,
    record_notification,
    verification_of,
    verify_next,
)
from payment_fixtures import Payments, a_payments_portal
from yookassa_server import ProtocolServer, yookassa_server

UNKNOWN = "2d9a1c3e-000f-5000-9000-1b68e7b15f3f"
Fetch = Callable[[str], tuple[int, dict[str, Any]]]


@pytest.fixture
def server() -> Iterator[ProtocolServer]:
    with yookassa_server() as running:
        yield running


@pytest.fixture
def portal(server: ProtocolServer) -> Payments:
    return a_payments_portal(server)


def a_paid_payment(portal: Payments, *, succeeded: bool = True) -> str:
    payment_id = portal.provider_payment(portal.pay(amount="1500"))
    portal.server.book.finish(payment_id, succeeded=succeeded)
    return payment_id


def outcomes(portal: Payments) -> list[VerificationOutcome]:
    """Verify everything due now, one by one."""
    done = []
    while (verified := verify_next(portal.ctx)) is not None:
        done.append(verified.outcome)
    return done


def test_a_notification_is_stored_without_asking_the_provider(
    portal: Payments, server: ProtocolServer
) -> None:
    payment_id = a_paid_payment(portal)

    record_notification(portal.ctx, "yookassa", payment_id)

    assert server.fetches() == []
    assert portal.credited() == []
    assert verification_of(portal.ctx, "yookassa", payment_id) is not None


def test_a_verified_payment_is_credited_once_and_its_verification_ends(
    portal: Payments,
) -> None:
    payment_id = a_paid_payment(portal)
    record_notification(portal.ctx, "yookassa", payment_id)

    assert outcomes(portal) == [VerificationOutcome.CREDITED]
    record_notification(portal.ctx, "yookassa", payment_id)
    assert outcomes(portal) == [VerificationOutcome.UNCHANGED]
    assert portal.credited() == [Money(150_000)]
    assert verification_of(portal.ctx, "yookassa", payment_id) is None


def test_repeated_notifications_are_verified_once(portal: Payments, server: ProtocolServer) -> None:
    payment_id = a_paid_payment(portal)
    for _ in range(5):
        record_notification(portal.ctx, "yookassa", payment_id)

    assert outcomes(portal) == [VerificationOutcome.CREDITED]
    assert len(server.fetches()) == 1


def test_a_canceled_payment_ends_its_order_unpaid(portal: Payments) -> None:
    payment_id = a_paid_payment(portal, succeeded=False)
    record_notification(portal.ctx, "yookassa", payment_id)

    assert outcomes(portal) == [VerificationOutcome.CANCELED]
    assert portal.credited() == []


def test_a_provider_that_cannot_answer_is_asked_again_after_growing_pauses(
    portal: Payments, server: ProtocolServer
) -> None:
    payment_id = a_paid_payment(portal)
    record_notification(portal.ctx, "yookassa", payment_id)
    server.fail_next(503, 503)

    assert outcomes(portal) == [VerificationOutcome.RETRY]
    pending = verification_of(portal.ctx, "yookassa", payment_id)
    assert pending is not None
    assert pending.next_attempt_at == portal.clock.now() + RETRY_DELAYS[0]
    assert "HTTP 503" in pending.last_problem
    portal.clock.advance(seconds=RETRY_DELAYS[0].total_seconds())
    assert outcomes(portal) == [VerificationOutcome.RETRY]
    pending = verification_of(portal.ctx, "yookassa", payment_id)
    assert pending is not None
    assert pending.next_attempt_at == portal.clock.now() + RETRY_DELAYS[1]
    portal.clock.advance(seconds=RETRY_DELAYS[1].total_seconds() - 1)
    assert outcomes(portal) == []
    portal.clock.advance(seconds=1)
    assert outcomes(portal) == [VerificationOutcome.CREDITED]
    assert portal.credited() == [Money(150_000)]


def test_a_provider_silent_for_days_is_given_up_on_and_the_order_stays_pending(
    portal: Payments, server: ProtocolServer
) -> None:
    order_id = portal.pay(amount="1500")
    record_notification(portal.ctx, "yookassa", portal.provider_payment(order_id))
    portal.clock.advance(seconds=GIVE_UP_AFTER.total_seconds())
    server.fail_next(503)

    assert outcomes(portal) == [VerificationOutcome.GAVE_UP]
    with portal.uow_factory() as uow:
        order = uow.payment_orders.get(order_id)
    assert order is not None
    assert order.status is OrderStatus.PENDING


def test_a_notification_while_the_payment_is_verified_makes_it_due_again(
    portal: Payments, server: ProtocolServer
) -> None:
    payment_id = portal.provider_payment(portal.pay(amount="1500"))
    record_notification(portal.ctx, "yookassa", payment_id)

    def payer_pays_while_we_ask() -> None:
        portal.server.book.finish(payment_id, succeeded=True)
        record_notification(portal.ctx, "yookassa", payment_id)

    server.book.get = _after(server.book.get, payer_pays_while_we_ask)  # type: ignore[method-assign]
    first = verify_next(portal.ctx)

    assert first is not None
    assert first.outcome is VerificationOutcome.UNCHANGED  # asked before the payer paid
    assert outcomes(portal) == [VerificationOutcome.CREDITED]


def test_an_unknown_payment_is_dropped(portal: Payments) -> None:
    record_notification(portal.ctx, "yookassa", UNKNOWN)

    assert outcomes(portal) == [VerificationOutcome.UNKNOWN]
    assert verification_of(portal.ctx, "yookassa", UNKNOWN) is None


def test_a_payment_that_contradicts_its_order_is_dropped_and_not_credited(
    portal: Payments, server: ProtocolServer
) -> None:
    payment_id = a_paid_payment(portal)
    server.book._payments[payment_id]["amount"]["value"] = "15.00"
    record_notification(portal.ctx, "yookassa", payment_id)

    assert outcomes(portal) == [VerificationOutcome.MISMATCH]
    assert portal.credited() == []


def test_only_a_provider_that_confirms_by_callback_is_noted(portal: Payments) -> None:
    with pytest.raises(NotFound):
        record_notification(portal.ctx, "gorod", "x")
    with pytest.raises(InvalidValue):
        record_notification(portal.ctx, "bitcoin", "x")

    assert verify_next(portal.ctx) is None


def test_a_stored_notification_wakes_the_verifier(server: ProtocolServer) -> None:
    woken: list[bool] = []
    portal = a_payments_portal(server, notified=lambda: woken.append(True))

    record_notification(portal.ctx, "yookassa", UNKNOWN)

    assert woken == [True]


def _after(answer: Fetch, then: Callable[[], None]) -> Fetch:
    """The acquirer's `get`, which calls `then` once after reading the payment."""
    called: list[bool] = []

    def get(payment_id: str) -> tuple[int, dict[str, Any]]:
        result = answer(payment_id)
        if not called:
            called.append(True)
            then()
        return result

    return get
