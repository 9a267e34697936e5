"""Housekeeping: idle sessions and old throttle windows are forgotten, live ones kept."""

from __future__ import annotations

import datetime as dt

import pytest

from access_fixtures import IP, IVANOV, PASSWORD, SEMENOV, Portal, a_portal
from lk_core.access.errors import SignInFailed
from lk_core.access.housekeeping import longest_window, purge_expired
from lk_core.access.sign_in import current_session, sign_in
from lk_core.access.throttling import ThrottlePolicy


@pytest.fixture
def portal() -> Portal:
    portal = a_portal()
    portal.register(IVANOV)
    portal.register(SEMENOV)
    return portal


def test_the_longest_window_is_the_longest_limit_of_any_path() -> None:
    assert longest_window(ThrottlePolicy()) == dt.timedelta(days=1)


def test_an_idle_session_is_forgotten_and_a_live_one_kept(portal: Portal) -> None:
    idle = sign_in(portal.ctx, IVANOV, PASSWORD, ip=IP, current_session=None)
    portal.clock.advance(minutes=25)
    live = sign_in(portal.ctx, SEMENOV, PASSWORD, ip=IP, current_session=None)
    portal.clock.advance(minutes=10)

    report = purge_expired(portal.ctx)

    assert report.sessions >= 1
    assert current_session(portal.ctx, idle) is None
    assert current_session(portal.ctx, live) is not None
    assert len(portal.sessions()) == 1


def test_throttle_windows_are_kept_a_day_the_longest_limit_then_forgotten(
    portal: Portal,
) -> None:
    with pytest.raises(SignInFailed):
        sign_in(portal.ctx, IVANOV, "не тот пароль", ip=IP, current_session=None)
    counted = len(portal.store.rate_counters)
    assert counted > 0

    portal.clock.advance(hours=23)
    assert purge_expired(portal.ctx).rate_windows == 0
    assert len(portal.store.rate_counters) == counted

    portal.clock.advance(hours=2)
    assert purge_expired(portal.ctx).rate_windows == counted
    assert portal.store.rate_counters == {}


def test_purging_twice_forgets_nothing_more(portal: Portal) -> None:
    sign_in(portal.ctx, IVANOV, PASSWORD, ip=IP, current_session=None)
    portal.clock.advance(hours=1)
    purge_expired(portal.ctx)

    again = purge_expired(portal.ctx)

    assert (again.sessions, again.rate_windows) == (0, 0)
