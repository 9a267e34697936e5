"""What the staff use cases need, bundled once by the composition root."""

from __future__ import annotations

import datetime as dt
from collections.abc import Container

import attrs

from lk_core.access.ports import PasswordHasher
from lk_core.access.throttling import Limit
from lk_core.kernel.policies import PasswordPolicy
from lk_core.kernel.runtime import Clock
from lk_core.kernel.transaction import UnitOfWorkFactory
from lk_core.staff.ports import SecondFactor, SecretSealer, StaffUnitOfWork
from lk_core.staff.sessions import StaffSessionPolicy


@attrs.frozen
class StaffThrottlePolicy:
    """Attempts counted before argon2 and before the code is checked (SECURITY.md)."""

    password: tuple[Limit, ...] = (
        Limit("staff_sign_in.login+ip", 10, dt.timedelta(minutes=15)),
        Limit("staff_sign_in.login", 25, dt.timedelta(minutes=15)),
        Limit("staff_sign_in.ip", 30, dt.timedelta(minutes=15)),
        Limit("staff_sign_in.global", 1000, dt.timedelta(minutes=5)),
    )
    # A code has a million values: five wrong ones a quarter hour per member.
    code: tuple[Limit, ...] = (
        Limit("staff_code.login", 5, dt.timedelta(minutes=15)),
        Limit("staff_code.ip", 20, dt.timedelta(minutes=15)),
    )


@attrs.frozen
class StaffContext:
    """Adapters and policies of the staff's sign-in and administration (F32)."""

    uow_factory: UnitOfWorkFactory[StaffUnitOfWork]
    clock: Clock
    hasher: PasswordHasher
    second_factor: SecondFactor
    sealer: SecretSealer
    passwords: PasswordPolicy
    common_passwords: Container[str] = attrs.field(repr=False)
    dummy_hash: str = attrs.field(repr=False)
    issuer: str = "lk"
    throttle: StaffThrottlePolicy = StaffThrottlePolicy()
    sessions: StaffSessionPolicy = StaffSessionPolicy()
    time_zone: str = "Europe/Moscow"
    # How long an enrolment code from `lk staff create|reset` may be typed (ADR 0072).
    enrolment_lifetime: dt.timedelta = dt.timedelta(hours=24)
