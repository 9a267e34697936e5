"""Staff sessions: kept apart from residents' (their own table and cookie), so that no
resident session can open the desk and no staff session a resident's page (ADR 0065)."""

from __future__ import annotations

import datetime as dt
import secrets

import attrs

from lk_core.access.sessions import session_id_hash


@attrs.frozen
class StaffSessionPolicy:
    """Shorter than residents' (SECURITY.md: staff sessions time out sooner); the second
    factor must follow the password within `second_factor`; the first code, after the
    enrolment code, within `enrolment` (time to install an app and scan the QR code)."""

    idle: dt.timedelta = dt.timedelta(minutes=15)
    absolute: dt.timedelta = dt.timedelta(hours=8)
    second_factor: dt.timedelta = dt.timedelta(minutes=5)
    enrolment: dt.timedelta = dt.timedelta(minutes=15)


@attrs.define
class StaffSession:
    """A browser's staff session: after the password only (`verified` False) it may only
    enter the code (or, not yet enrolled, the enrolment code: then it is `enrolling` and
    may see the new key); after the code it is signed in."""

    id_hash: str = attrs.field(repr=False)
    login: str
    created_at: dt.datetime
    last_seen_at: dt.datetime
    verified: bool = False
    enrolling: bool = False

    def is_expired(self, now: dt.datetime, policy: StaffSessionPolicy) -> bool:
        if not self.verified:
            limit = policy.enrolment if self.enrolling else policy.second_factor
            return now - self.created_at > limit
        return now - self.last_seen_at > policy.idle or now - self.created_at > policy.absolute


def new_staff_session(
    login: str, now: dt.datetime, *, verified: bool, enrolling: bool = False
) -> tuple[str, StaffSession]:
    """A fresh id for the cookie, and the session to store under its hash."""
    raw = secrets.token_urlsafe(32)
    return raw, StaffSession(session_id_hash(raw), login, now, now, verified, enrolling)
