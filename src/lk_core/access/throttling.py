"""Throttling of the paths that check a secret or send a message (SECURITY.md).

Fixed-window counters per account number, per client IP, per pair and globally, kept
in the database so every worker shares them, and reserved *before* argon2 runs. Only
temporary blocks: a number-walking attacker is stopped by the per-IP counters, and a
resident is never locked out for longer than a window. No targeted lockout (ADR 0050): a
browser that signed in before signs in from a budget of its own, a flood against an
account blocks new browsers for minutes, and reset requests with a wrong e-mail never use
up the owner's.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

import attrs

from lk_core.kernel.errors import DomainError


@attrs.frozen
class Limit:
    """At most `count` events per `window` in a bucket named `scope:…`."""

    scope: str
    count: int
    window: dt.timedelta


class Throttled(DomainError):
    """Too many attempts: try again after `retry_after`."""

    code = "throttled"

    def __init__(self, retry_after: dt.timedelta) -> None:
        minutes = max(1, math.ceil(retry_after.total_seconds() / 60))
        super().__init__(
            f"Слишком много попыток. Повторите через {minutes} {_minutes_word(minutes)}."
        )
        self.retry_after = retry_after


def window_start(now: dt.datetime, window: dt.timedelta) -> dt.datetime:
    """The start of the fixed window that `now` falls in."""
    seconds = int(window.total_seconds())
    epoch = int(now.timestamp())
    return dt.datetime.fromtimestamp(epoch - epoch % seconds, dt.UTC)


@attrs.frozen
class Bucket:
    """A limit applied to one key (an account, an IP, a pair, or everyone)."""

    limit: Limit
    key: str

    @property
    def name(self) -> str:
        return f"{self.limit.scope}:{self.key}"


def buckets(limits: Sequence[Limit], **keys: str) -> list[Bucket]:
    """The buckets of `limits` whose scope names which key they count, e.g. `sign_in.ip`."""
    chosen = []
    for limit in limits:
        part = limit.scope.rsplit(".", 1)[-1]
        if part == "global":
            chosen.append(Bucket(limit, "*"))
        else:
            key = "|".join(keys[name] for name in part.split("+"))
            chosen.append(Bucket(limit, key))
    return chosen


@attrs.frozen
class ThrottlePolicy:
    """The limits of each guarded path; tuned in configuration only if ever needed."""

    sign_in: tuple[Limit, ...] = (
        Limit("sign_in.account+ip", 10, dt.timedelta(minutes=15)),
        # Four windows an hour: at most 100 failures an hour per account reach argon2
        # (SECURITY.md), yet a flood blocks new browsers for a quarter hour at most.
        Limit("sign_in.account", 25, dt.timedelta(minutes=15)),
        Limit("sign_in.ip", 50, dt.timedelta(minutes=15)),
        Limit("sign_in.global", 5000, dt.timedelta(minutes=5)),
    )
    # A browser with a device token for the account (or a signed-in session checking its
    # current password) spends its own budget instead; once that is spent it is one more
    # unknown browser (OWASP device cookies).
    sign_in_known_device: tuple[Limit, ...] = (
        Limit("sign_in.device", 10, dt.timedelta(minutes=15)),
        Limit("sign_in.global", 5000, dt.timedelta(minutes=5)),
    )
    first_visit: tuple[Limit, ...] = (
        Limit("first_visit.account+ip", 10, dt.timedelta(minutes=15)),
        Limit("first_visit.account", 50, dt.timedelta(hours=1)),
        Limit("first_visit.ip", 30, dt.timedelta(minutes=15)),
        Limit("first_visit.global", 5000, dt.timedelta(minutes=5)),
    )
    reset_request: tuple[Limit, ...] = (
        # By account *and* e-mail typed: a mail goes out only for the pair on file, and
        # requests with any other e-mail never use up the owner's.
        Limit("reset.account+email", 5, dt.timedelta(hours=1)),
        Limit("reset.ip", 20, dt.timedelta(hours=1)),
        Limit("reset.global", 2000, dt.timedelta(minutes=5)),
    )
    sms_send: tuple[Limit, ...] = (
        Limit("sms.phone", 3, dt.timedelta(minutes=10)),
        Limit("sms_daily.phone", 10, dt.timedelta(days=1)),
        Limit("sms.ip", 10, dt.timedelta(hours=1)),
        Limit("sms.global", 1000, dt.timedelta(minutes=5)),
    )
    # Exchanging a refresh token (ADR 0061): failures only, per client IP.
    token_refresh: tuple[Limit, ...] = (
        Limit("token.ip", 30, dt.timedelta(minutes=15)),
        Limit("token.global", 5000, dt.timedelta(minutes=5)),
    )
    code_check: tuple[Limit, ...] = (
        Limit("code.ip", 30, dt.timedelta(minutes=15)),
        Limit("code.global", 5000, dt.timedelta(minutes=5)),
    )


def _minutes_word(n: int) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return "минуту"
    if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
        return "минуты"
    return "минут"
