"""The rate counters: events counted per bucket and fixed window, shared by every worker."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

from lk_adapters.portal_unit_of_work import PortalUnitOfWorkFactory

from .builders import MOSCOW, at

WINDOW = at(0)


def count(uow_factory: PortalUnitOfWorkFactory, bucket: str, window_start: dt.datetime) -> int:
    with uow_factory() as uow:
        return uow.rate_counters.counts([(bucket, window_start)])[0]


def test_each_hit_counts_one_more_and_returns_the_count_so_far(
    uow_factory: PortalUnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        counts = [uow.rate_counters.hit("sign_in.ip:203.0.113.7", WINDOW) for _ in range(3)]
        uow.commit()

    assert counts == [1, 2, 3]
    assert count(uow_factory, "sign_in.ip:203.0.113.7", WINDOW) == 3


def test_a_bucket_never_hit_counts_nothing(uow_factory: PortalUnitOfWorkFactory) -> None:
    with uow_factory() as uow:
        uow.rate_counters.hit("sign_in.ip:203.0.113.7", WINDOW)

        assert uow.rate_counters.counts([("sign_in.ip:198.51.100.1", WINDOW)])[0] == 0


def test_every_window_of_a_bucket_and_every_bucket_of_a_window_counts_apart(
    uow_factory: PortalUnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        uow.rate_counters.hit("sign_in.account:100234", at(0))
        uow.rate_counters.hit("sign_in.account:100234", at(0))
        uow.rate_counters.hit("sign_in.account:100234", at(15))
        uow.rate_counters.hit("sign_in.account:100235", at(0))
        uow.commit()

    assert count(uow_factory, "sign_in.account:100234", at(0)) == 2
    assert count(uow_factory, "sign_in.account:100234", at(15)) == 1
    assert count(uow_factory, "sign_in.account:100235", at(0)) == 1


def test_a_window_start_in_another_time_zone_is_the_same_window(
    uow_factory: PortalUnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        uow.rate_counters.hit("sms.phone:+79161234567", WINDOW)
        uow.commit()

    with uow_factory() as uow:
        assert uow.rate_counters.hit("sms.phone:+79161234567", WINDOW.astimezone(MOSCOW)) == 2


def test_a_rolled_back_hit_does_not_count(uow_factory: PortalUnitOfWorkFactory) -> None:
    with uow_factory() as uow:
        uow.rate_counters.hit("reset.account:100234", WINDOW)
        uow.commit()
        uow.rate_counters.hit("reset.account:100234", WINDOW)
        uow.rollback()

    assert count(uow_factory, "reset.account:100234", WINDOW) == 1


def test_windows_that_started_before_the_given_time_are_forgotten_and_counted(
    uow_factory: PortalUnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        uow.rate_counters.hit("code.ip:203.0.113.7", at(-60))
        uow.rate_counters.hit("code.global:*", at(-60))
        uow.rate_counters.hit("code.ip:203.0.113.7", at(-30))
        uow.rate_counters.hit("code.ip:203.0.113.7", at(0))
        forgotten = uow.rate_counters.delete_before(at(-30))
        uow.commit()

    assert forgotten == 2
    assert count(uow_factory, "code.ip:203.0.113.7", at(-60)) == 0
    assert count(uow_factory, "code.global:*", at(-60)) == 0
    assert count(uow_factory, "code.ip:203.0.113.7", at(-30)) == 1
    assert count(uow_factory, "code.ip:203.0.113.7", at(0)) == 1


def test_hits_from_many_workers_at_once_are_each_counted_once(
    sql_uow_factory: PortalUnitOfWorkFactory,
) -> None:
    workers, hits_each = 6, 5
    everyone_ready = threading.Barrier(workers, timeout=10)

    def worker() -> list[int]:
        everyone_ready.wait()
        counts = []
        for _ in range(hits_each):
            with sql_uow_factory() as uow:
                counts.append(uow.rate_counters.hit("sign_in.global:*", WINDOW))
                uow.commit()
        return counts

    with ThreadPoolExecutor(workers) as pool:
        results = [pool.submit(worker) for _ in range(workers)]
        counts = [n for result in results for n in result.result(timeout=60)]

    assert sorted(counts) == list(range(1, workers * hits_each + 1))
    assert count(sql_uow_factory, "sign_in.global:*", WINDOW) == workers * hits_each


def test_several_windows_are_counted_at_once_in_the_order_asked(
    uow_factory: PortalUnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        uow.rate_counters.hit("sign_in.account:100234", at(0))
        uow.rate_counters.hit("sign_in.account:100234", at(0))
        uow.rate_counters.hit("sign_in.ip:203.0.113.7", at(15))
        uow.commit()

    with uow_factory(read_only=True) as uow:
        counted = uow.rate_counters.counts(
            [
                ("sign_in.ip:203.0.113.7", at(15).astimezone(MOSCOW)),
                ("sign_in.account:100234", at(0)),
                ("sign_in.account:100234", at(15)),  # a pair of asked bucket and start, not hit
                ("sign_in.ip:203.0.113.7", at(0)),
                ("sign_in.global:*", at(0)),
            ]
        )
        nothing = uow.rate_counters.counts([])

    assert counted == [1, 2, 0, 0, 0]
    assert nothing == []


def test_a_reservation_counts_until_the_limit_and_is_then_refused(
    uow_factory: PortalUnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        reserved = [
            uow.rate_counters.reserve("sign_in.ip:203.0.113.7", WINDOW, 3) for _ in range(5)
        ]
        other = uow.rate_counters.reserve("sign_in.ip:198.51.100.1", WINDOW, 3)
        uow.commit()

    assert reserved == [True, True, True, False, False]
    assert other
    assert count(uow_factory, "sign_in.ip:203.0.113.7", WINDOW) == 3


def test_a_reservation_counts_with_hits_and_a_lower_limit_refuses_sooner(
    uow_factory: PortalUnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        uow.rate_counters.hit("reset.ip:203.0.113.7", WINDOW)
        uow.rate_counters.hit("reset.ip:203.0.113.7", WINDOW)

        assert not uow.rate_counters.reserve("reset.ip:203.0.113.7", WINDOW, 2)
        assert uow.rate_counters.reserve("reset.ip:203.0.113.7", WINDOW.astimezone(MOSCOW), 3)
        assert not uow.rate_counters.reserve("reset.ip:203.0.113.7", at(15), 0)
        uow.commit()

    assert count(uow_factory, "reset.ip:203.0.113.7", WINDOW) == 3
    assert count(uow_factory, "reset.ip:203.0.113.7", at(15)) == 0


def test_a_released_event_no_longer_counts_and_nothing_goes_below_none(
    uow_factory: PortalUnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        uow.rate_counters.reserve("sign_in.account:100234", WINDOW, 1)
        uow.rate_counters.release("sign_in.account:100234", WINDOW)
        again = uow.rate_counters.reserve("sign_in.account:100234", WINDOW, 1)
        uow.rate_counters.release("sign_in.account:100235", WINDOW)
        uow.rate_counters.release("sign_in.account:100235", WINDOW)
        uow.commit()

    assert again
    assert count(uow_factory, "sign_in.account:100234", WINDOW) == 1
    assert count(uow_factory, "sign_in.account:100235", WINDOW) == 0
    with uow_factory() as uow:
        assert uow.rate_counters.reserve("sign_in.account:100235", WINDOW, 1)


def test_a_rolled_back_reservation_does_not_count(uow_factory: PortalUnitOfWorkFactory) -> None:
    with uow_factory() as uow:
        uow.rate_counters.reserve("code.ip:203.0.113.7", WINDOW, 1)
        uow.rollback()

    with uow_factory() as uow:
        assert uow.rate_counters.reserve("code.ip:203.0.113.7", WINDOW, 1)


def test_reservations_from_many_workers_at_once_never_count_past_the_limit(
    sql_uow_factory: PortalUnitOfWorkFactory,
) -> None:
    workers, tries_each, limit = 8, 5, 13
    everyone_ready = threading.Barrier(workers, timeout=10)

    def worker() -> int:
        everyone_ready.wait()
        reserved = 0
        for _ in range(tries_each):
            with sql_uow_factory() as uow:
                reserved += uow.rate_counters.reserve("sign_in.global:*", WINDOW, limit)
                uow.commit()
        return reserved

    with ThreadPoolExecutor(workers) as pool:
        results = [pool.submit(worker) for _ in range(workers)]
        reserved = sum(result.result(timeout=60) for result in results)

    assert reserved == limit
    assert count(sql_uow_factory, "sign_in.global:*", WINDOW) == limit
