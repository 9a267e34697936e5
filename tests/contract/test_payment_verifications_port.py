"""Pending verifications: one per provider's payment, claimed by one verifier at a time,
and never lost to a notice that arrives while the payment is being verified."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import attrs
import pytest

from lk_adapters.portal_unit_of_work import PortalUnitOfWorkFactory
from lk_core.payments.pending_verification import PendingVerification

from .builders import at

LEASE = dt.timedelta(minutes=2)


def a_verification(payment_id: str = "pay-1", minutes: int = 0) -> PendingVerification:
    return PendingVerification("yookassa", payment_id, at(minutes), at(minutes))


def noted(uow_factory: PortalUnitOfWorkFactory, *verifications: PendingVerification) -> None:
    with uow_factory() as uow:
        for verification in verifications:
            uow.payment_verifications.add(verification)
        uow.commit()


def stored(uow_factory: PortalUnitOfWorkFactory, payment_id: str) -> PendingVerification | None:
    with uow_factory() as uow:
        return uow.payment_verifications.get("yookassa", payment_id)


def claim(
    uow_factory: PortalUnitOfWorkFactory, now: dt.datetime, limit: int = 10
) -> list[PendingVerification]:
    with uow_factory() as uow:
        claimed = uow.payment_verifications.claim_due(now, limit, LEASE)
        uow.commit()
    return claimed


def test_a_noted_verification_is_read_back_whole(uow_factory: PortalUnitOfWorkFactory) -> None:
    verification = attrs.evolve(a_verification(), last_problem="ещё не спрашивали")
    noted(uow_factory, verification)

    assert stored(uow_factory, "pay-1") == verification
    assert stored(uow_factory, "pay-2") is None


def test_repeated_notifications_of_a_payment_collapse_into_one_verification(
    uow_factory: PortalUnitOfWorkFactory,
) -> None:
    noted(uow_factory, a_verification(minutes=0))
    noted(uow_factory, a_verification(minutes=1), a_verification(minutes=2))

    assert stored(uow_factory, "pay-1") == attrs.evolve(a_verification(minutes=0), notices=3)
    assert [v.provider_payment_id for v in claim(uow_factory, at(10))] == ["pay-1"]


def test_a_claim_takes_what_is_due_soonest_first_and_leases_it(
    uow_factory: PortalUnitOfWorkFactory,
) -> None:
    noted(uow_factory, a_verification("late", 5), a_verification("early", 1))
    noted(uow_factory, a_verification("future", 60))

    claimed = claim(uow_factory, at(10))

    assert [(v.provider_payment_id, v.attempts) for v in claimed] == [("early", 1), ("late", 1)]
    assert all(v.next_attempt_at == at(10) + LEASE for v in claimed)
    assert claim(uow_factory, at(10)) == []
    assert [v.provider_payment_id for v in claim(uow_factory, at(10) + LEASE)] == [
        "early",
        "late",
    ]
    assert stored(uow_factory, "early") == attrs.evolve(
        a_verification("early", 1), attempts=2, next_attempt_at=at(10) + 2 * LEASE
    )


def test_the_soonest_due_is_known_without_claiming(uow_factory: PortalUnitOfWorkFactory) -> None:
    with uow_factory() as uow:
        assert uow.payment_verifications.soonest_due() is None
    noted(uow_factory, a_verification("late", 5), a_verification("early", 1))

    with uow_factory(read_only=True) as uow:
        assert uow.payment_verifications.soonest_due() == at(1)
    claim(uow_factory, at(1), limit=1)
    with uow_factory(read_only=True) as uow:
        assert uow.payment_verifications.soonest_due() == at(1) + LEASE  # the claim's lease


def test_a_claim_takes_no_more_than_asked(uow_factory: PortalUnitOfWorkFactory) -> None:
    noted(uow_factory, *(a_verification(f"pay-{n}", n) for n in range(5)))

    assert [v.provider_payment_id for v in claim(uow_factory, at(10), limit=2)] == [
        "pay-0",
        "pay-1",
    ]


def test_a_postponed_verification_is_due_when_asked_and_says_why(
    uow_factory: PortalUnitOfWorkFactory,
) -> None:
    noted(uow_factory, a_verification())
    [claimed] = claim(uow_factory, at(1))
    with uow_factory() as uow:
        uow.payment_verifications.postpone(claimed, at(30), "ЮKassa: ReadTimeout")
        uow.commit()

    assert claim(uow_factory, at(29)) == []
    assert stored(uow_factory, "pay-1") == attrs.evolve(
        claimed, next_attempt_at=at(30), last_problem="ЮKassa: ReadTimeout"
    )
    assert len(claim(uow_factory, at(30))) == 1


def test_a_verification_is_removed_only_if_no_notice_came_since_it_was_claimed(
    uow_factory: PortalUnitOfWorkFactory,
) -> None:
    noted(uow_factory, a_verification("quiet"), a_verification("renamed"))
    quiet, renamed = sorted(claim(uow_factory, at(1)), key=lambda v: v.provider_payment_id)
    noted(uow_factory, a_verification("renamed", 2))

    with uow_factory() as uow:
        assert uow.payment_verifications.remove(quiet) is True
        assert uow.payment_verifications.remove(renamed) is False
        uow.commit()

    assert stored(uow_factory, "quiet") is None
    assert stored(uow_factory, "renamed") == attrs.evolve(renamed, notices=2)


def test_a_rolled_back_notice_leaves_nothing(uow_factory: PortalUnitOfWorkFactory) -> None:
    with uow_factory() as uow:
        uow.payment_verifications.add(a_verification())
        uow.rollback()

    assert stored(uow_factory, "pay-1") is None


def test_notifications_arriving_at_once_end_in_one_verification(
    sql_uow_factory: PortalUnitOfWorkFactory,
) -> None:
    start = threading.Barrier(8, timeout=10)

    def notify() -> None:
        start.wait()
        noted(sql_uow_factory, a_verification())

    with ThreadPoolExecutor(8) as pool:
        for done in [pool.submit(notify) for _ in range(8)]:
            done.result(timeout=60)

    verification = stored(sql_uow_factory, "pay-1")
    assert verification is not None
    assert verification.notices == 8


@pytest.mark.postgres
def test_two_verifiers_claiming_at_once_never_get_the_same_verification(
    postgres_uow_factory: PortalUnitOfWorkFactory,
) -> None:
    uow_factory = postgres_uow_factory
    ids = [f"pay-{n}" for n in range(10)]
    noted(uow_factory, *(a_verification(i) for i in ids))
    both_start = threading.Barrier(2, timeout=10)
    both_claimed = threading.Barrier(2, timeout=10)

    def verifier() -> set[str]:
        with uow_factory() as uow:
            both_start.wait()
            claimed = uow.payment_verifications.claim_due(at(1), 5, LEASE)
            both_claimed.wait()
            uow.commit()
        return {v.provider_payment_id for v in claimed}

    with ThreadPoolExecutor(2) as pool:
        first, second = (pool.submit(verifier) for _ in range(2))
        first_claimed, second_claimed = first.result(timeout=30), second.result(timeout=30)

    assert first_claimed.isdisjoint(second_claimed)
    assert first_claimed | second_claimed == set(ids)
