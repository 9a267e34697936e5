"""A staff context over any unit-of-work factory, with the real TOTP checker and sealer,
for the use-case tests of the desk's sign-in (ADR 0065, 0072)."""

from __future__ import annotations

import pyotp

from access_fixtures import START, MovableClock, fast_hasher
from lk_adapters.sealing import FernetSecretSealer
from lk_adapters.second_factor import PyotpSecondFactor
from lk_core.kernel.policies import PasswordPolicy
from lk_core.kernel.transaction import UnitOfWorkFactory
from lk_core.staff.administration import create_staff
from lk_core.staff.context import StaffContext
from lk_core.staff.members import StaffRole
from lk_core.staff.ports import StaffUnitOfWork

SECRET_KEY = "a-test-secret-key-of-at-least-32-characters"
STAFF_PASSWORD = "диспетчерская смена 7"


def a_staff_context(
    uow_factory: UnitOfWorkFactory[StaffUnitOfWork],
    clock: MovableClock | None = None,
    secret_keys: tuple[str, ...] = (SECRET_KEY,),
) -> StaffContext:
    hasher = fast_hasher()
    return StaffContext(
        uow_factory=uow_factory,
        clock=clock or MovableClock(START),
        hasher=hasher,
        second_factor=PyotpSecondFactor(),
        sealer=FernetSecretSealer(list(secret_keys)),
        passwords=PasswordPolicy(8, 128),
        common_passwords=frozenset(),
        dummy_hash=hasher.hash("dummy password"),
    )


def a_new_member(ctx: StaffContext, login: str = "ivanova") -> str:
    """A dispatcher made as `lk staff create` makes one; the enrolment code."""
    made = create_staff(ctx, "operator:test", login, "Иванова Мария", StaffRole.DISPATCHER,
                        STAFF_PASSWORD, STAFF_PASSWORD)  # fmt: skip
    return made.enrolment_code


def the_key(ctx: StaffContext, login: str = "ivanova") -> str:
    """The member's TOTP key, unsealed."""
    with ctx.uow_factory(read_only=True) as uow:
        member = uow.staff.get(login)
    assert member is not None
    assert member.totp_secret is not None
    secret = ctx.sealer.unseal(member.totp_secret)
    assert secret is not None
    return secret


def the_code(ctx: StaffContext, login: str = "ivanova") -> str:
    return str(pyotp.TOTP(the_key(ctx, login)).at(ctx.clock.now()))
