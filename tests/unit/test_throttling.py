"""Throttling of the secret-checking paths: fixed windows, only temporary blocks, nothing
counted while blocked, and messages that say how long to wait."""

from __future__ import annotations

import datetime as dt

import pytest

from access_fixtures import IP, OTHER_IP, SEMENOV, START, Portal, a_portal
from lk_adapters.memory import InMemoryUnitOfWorkFactory
from lk_core.access.errors import FirstVisitFailed, TokenInvalid
from lk_core.access.first_visit import first_visit
from lk_core.access.guarding import ensure_not_throttled, release_attempt, reserve_attempt
from lk_core.access.registration import ConfirmationMethod
from lk_core.access.sms_confirmation import check_sms_code, send_sms_code
from lk_core.access.throttling import Limit, Throttled, ThrottlePolicy, buckets, window_start

MINUTE = dt.timedelta(minutes=1)


@pytest.mark.parametrize(
    ("window", "at", "starts"),
    [
        (dt.timedelta(minutes=15), "09:14:59", "09:00:00"),
        (dt.timedelta(minutes=15), "09:15:00", "09:15:00"),
        (dt.timedelta(hours=1), "09:59:59", "09:00:00"),
        (dt.timedelta(days=1), "23:59:00", "00:00:00"),
    ],
)
def test_a_fixed_window_starts_on_a_multiple_of_its_length(
    window: dt.timedelta, at: str, starts: str
) -> None:
    moment = dt.datetime.fromisoformat(f"2026-03-02T{at}+00:00")

    assert window_start(moment, window) == dt.datetime.fromisoformat(f"2026-03-02T{starts}+00:00")


def test_each_limit_counts_the_keys_its_scope_names() -> None:
    limits = (
        Limit("sign_in.account+ip", 10, MINUTE),
        Limit("sign_in.ip", 50, MINUTE),
        Limit("sign_in.global", 5000, MINUTE),
    )

    names = [bucket.name for bucket in buckets(limits, account="100234", ip=IP)]

    assert names == [f"sign_in.account+ip:100234|{IP}", f"sign_in.ip:{IP}", "sign_in.global:*"]


@pytest.mark.parametrize(
    ("seconds", "says"),
    [
        (1, "через 1 минуту"),
        (61, "через 2 минуты"),
        (5 * 60, "через 5 минут"),
        (11 * 60, "через 11 минут"),
        (21 * 60, "через 21 минуту"),
        (24 * 60, "через 24 минуты"),
    ],
)
def test_a_throttled_answer_says_in_russian_how_long_to_wait(seconds: int, says: str) -> None:
    error = Throttled(dt.timedelta(seconds=seconds))

    assert says in error.message_ru
    assert error.retry_after == dt.timedelta(seconds=seconds)


def test_a_full_window_blocks_until_it_ends_and_counts_nothing_while_blocked() -> None:
    uow_factory = InMemoryUnitOfWorkFactory()
    limit = (Limit("test.ip", 3, dt.timedelta(minutes=15)),)
    guarded = buckets(limit, ip=IP)
    with uow_factory() as uow:
        for _ in range(3):
            reserve_attempt(uow, guarded, START)
            uow.commit()

        with pytest.raises(Throttled) as blocked:
            reserve_attempt(uow, guarded, START + dt.timedelta(minutes=5))
        assert blocked.value.retry_after == dt.timedelta(minutes=10)
        assert uow.rate_counters.counts([(guarded[0].name, START)])[0] == 3

        reserve_attempt(uow, guarded, START + dt.timedelta(minutes=15))


def test_a_reservation_refused_by_one_bucket_counts_in_none_and_waits_for_the_longest() -> None:
    uow_factory = InMemoryUnitOfWorkFactory()
    limits = (
        Limit("test.account+ip", 5, dt.timedelta(minutes=15)),
        Limit("test.ip", 2, dt.timedelta(minutes=5)),
        Limit("test.global", 2, dt.timedelta(hours=1)),
    )
    with uow_factory() as uow:
        for ip in ("10.0.0.1", "10.0.0.2"):
            reserve_attempt(uow, buckets(limits, account="100234", ip=ip), START)
        uow.commit()

        with pytest.raises(Throttled) as blocked:
            reserve_attempt(uow, buckets(limits, account="100234", ip=IP), START)

        windows = [(bucket.name, START) for bucket in buckets(limits, account="100234", ip=IP)]
        assert uow.rate_counters.counts(windows) == [0, 0, 2]
        assert blocked.value.retry_after == dt.timedelta(hours=1)


def test_a_released_attempt_no_longer_counts() -> None:
    uow_factory = InMemoryUnitOfWorkFactory()
    guarded = buckets((Limit("test.ip", 1, dt.timedelta(minutes=15)),), ip=IP)
    with uow_factory() as uow:
        reserve_attempt(uow, guarded, START)
        release_attempt(uow, guarded, START)
        reserve_attempt(uow, guarded, START)

        with pytest.raises(Throttled):
            ensure_not_throttled(uow, guarded, START)


def test_the_default_limits_let_at_most_a_hundred_failures_an_hour_through_per_account() -> None:
    per_account = {limit.scope: limit for limit in ThrottlePolicy().sign_in}["sign_in.account"]
    windows_an_hour = dt.timedelta(hours=1) / per_account.window

    assert windows_an_hour == int(windows_an_hour)  # every clock hour holds whole windows
    assert per_account.count * windows_an_hour <= 100
    assert per_account.window <= dt.timedelta(minutes=15)  # a flood blocks for minutes
    assert all(limit.window <= dt.timedelta(days=1) for limit in ThrottlePolicy().sms_send)


@pytest.fixture
def portal() -> Portal:
    return a_portal()


def test_guessing_surnames_is_throttled_even_for_the_right_one_until_the_window_ends(
    portal: Portal,
) -> None:
    for guess in range(10):
        with pytest.raises(FirstVisitFailed):
            first_visit(portal.ctx, SEMENOV, f"Фамилия{guess}", ip=IP, current_session=None)

    with pytest.raises(Throttled):
        first_visit(portal.ctx, SEMENOV, "Семёнов", ip=IP, current_session=None)
    assert first_visit(portal.ctx, SEMENOV, "Семёнов", ip=OTHER_IP, current_session=None)

    portal.clock.advance(minutes=15)
    assert first_visit(portal.ctx, SEMENOV, "Семёнов", ip=IP, current_session=None)


def test_one_ip_walking_numbers_with_surnames_is_stopped(portal: Portal) -> None:
    for number in range(500_000, 500_030):
        with pytest.raises(FirstVisitFailed):
            first_visit(portal.ctx, str(number), "Иванов", ip=IP, current_session=None)

    with pytest.raises(Throttled):
        first_visit(portal.ctx, SEMENOV, "Семёнов", ip=IP, current_session=None)


def test_code_checks_from_one_ip_are_throttled_across_registrations(portal: Portal) -> None:
    raw = portal.start_registration(SEMENOV, method=ConfirmationMethod.SMS)
    failures = 0
    while failures < 30:
        send_sms_code(portal.ctx, raw, f"+7 912 000-00-{failures:02d}", ip=OTHER_IP)
        for _ in range(5):
            with pytest.raises(TokenInvalid):
                check_sms_code(portal.ctx, raw, "not-a-code", ip=IP)
            failures += 1
        portal.clock.advance(seconds=20)

    with pytest.raises(Throttled):
        check_sms_code(portal.ctx, raw, "000000", ip=IP)
