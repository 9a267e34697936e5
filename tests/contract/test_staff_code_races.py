"""Requests racing with one code (ADR 0065, 0072): two browsers past the password step
sending the same TOTP code within its 30 seconds, or the same recovery or enrolment code,
at once, in real threads over SQLite and PostgreSQL: exactly one signs in."""

from __future__ import annotations

import pytest

from access_fixtures import MovableClock
from lk_adapters.portal_unit_of_work import PortalUnitOfWorkFactory
from lk_core.staff.context import StaffContext
from lk_core.staff.errors import EnrolmentCodeFailed, SecondFactorFailed
from lk_core.staff.sign_in import (
    SignedIn,
    enter_enrolment_code,
    sign_in_with_code,
    sign_in_with_password,
)
from staff_fixtures import STAFF_PASSWORD, a_new_member, a_staff_context, the_code

from .test_concurrent_readings import at_once

# Within the code throttle (5 wrong codes a member a quarter hour): none is refused for it.
BROWSERS = 4


@pytest.fixture
def ctx(sql_uow_factory: PortalUnitOfWorkFactory) -> StaffContext:
    return a_staff_context(sql_uow_factory, MovableClock())


def password_steps(ctx: StaffContext, count: int) -> list[str]:
    return [
        sign_in_with_password(
            ctx, "ivanova", STAFF_PASSWORD, ip=f"198.51.100.{i}", current_session=None
        )
        for i in range(count)
    ]


def enrolled(ctx: StaffContext) -> tuple[str, ...]:
    code = a_new_member(ctx)
    (pending,) = password_steps(ctx, 1)
    enrolling = enter_enrolment_code(ctx, pending, code, ip="198.51.100.1")
    codes = sign_in_with_code(ctx, enrolling, the_code(ctx), ip="198.51.100.1").recovery_codes
    ctx.clock.advance(seconds=30)  # type: ignore[attr-defined]
    return codes


def test_one_totp_code_sent_by_two_browsers_at_once_signs_in_only_one(
    ctx: StaffContext,
) -> None:
    enrolled(ctx)
    pending = password_steps(ctx, BROWSERS)
    code = the_code(ctx)

    outcomes = at_once(BROWSERS, lambda i: sign_in_with_code(ctx, pending[i], code,
                                                             ip=f"198.51.100.{i}"))  # fmt: skip

    assert sum(isinstance(o, SignedIn) for o in outcomes) == 1, outcomes
    assert sum(isinstance(o, SecondFactorFailed) for o in outcomes) == BROWSERS - 1, outcomes


def test_one_recovery_code_sent_by_two_browsers_at_once_signs_in_only_one(
    ctx: StaffContext,
) -> None:
    codes = enrolled(ctx)
    pending = password_steps(ctx, BROWSERS)

    outcomes = at_once(BROWSERS, lambda i: sign_in_with_code(ctx, pending[i], codes[0],
                                                             ip=f"198.51.100.{i}"))  # fmt: skip

    assert sum(isinstance(o, SignedIn) for o in outcomes) == 1, outcomes
    assert sum(isinstance(o, SecondFactorFailed) for o in outcomes) == BROWSERS - 1, outcomes


def test_one_enrolment_code_sent_by_two_browsers_at_once_enrols_only_one(
    ctx: StaffContext,
) -> None:
    code = a_new_member(ctx)
    pending = password_steps(ctx, BROWSERS)

    outcomes = at_once(BROWSERS, lambda i: enter_enrolment_code(ctx, pending[i], code,
                                                                ip=f"198.51.100.{i}"))  # fmt: skip

    assert sum(isinstance(o, str) for o in outcomes) == 1, outcomes
    assert sum(isinstance(o, EnrolmentCodeFailed) for o in outcomes) == BROWSERS - 1, outcomes
