"""Forgetting what has expired: idle sessions, old throttle windows, and the JSON API's
ended refresh tokens and devices.

Neither is needed once expired (an expired session is refused anyway, an old window no
longer counts), but both tables would grow without end, and SECURITY.md asks that a
session not outlive its timeouts on the server. Run by `lk db purge`, e.g. from a timer.
"""

from __future__ import annotations

import datetime as dt

import attrs

from lk_core.access.context import AccessContext
from lk_core.access.throttling import Limit, ThrottlePolicy


@attrs.frozen
class PurgeReport:
    """How many sessions and throttle windows were forgotten."""

    sessions: int
    rate_windows: int
    devices: int = 0  # API devices revoked or whose refresh tokens all ended (ADR 0061)


def longest_window(policy: ThrottlePolicy) -> dt.timedelta:
    """The longest window of any guarded path: a window older than that counts for nothing."""
    limits: list[Limit] = []
    for field in attrs.fields(ThrottlePolicy):
        limits.extend(getattr(policy, field.name))
    return max(limit.window for limit in limits)


def purge_expired(ctx: AccessContext) -> PurgeReport:
    """Delete sessions idle past the idle timeout and windows older than the longest limit."""
    now = ctx.clock.now()
    with ctx.uow_factory() as uow:
        sessions = uow.sessions.delete_idle(now - ctx.sessions.idle)
        windows = uow.rate_counters.delete_before(now - longest_window(ctx.throttle))
        devices = uow.app_devices.delete_ended(now)
        uow.commit()
    return PurgeReport(sessions=sessions, rate_windows=windows, devices=devices)
