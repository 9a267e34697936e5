"""The staff's second factor as the use cases run it (ADR 0072), over the in-memory store:
the key is made only after the operator's one-time enrolment code, stored sealed, shown
only to the browser that typed the code; ten recovery codes come with the first TOTP code
and each signs in once; a reset forgets them; a key no secret key opens signs no one in."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lk_adapters.memory import InMemoryUnitOfWorkFactory
from lk_core.access.audit import AuditKind
from lk_core.staff.administration import reseal_staff_secrets, reset_staff
from lk_core.staff.codes import (
    ALPHABET,
    RECOVERY_CODES,
    code_hash,
    is_totp_code,
    new_enrolment_code,
    new_recovery_codes,
    normalized_code,
)
from lk_core.staff.context import StaffContext
from lk_core.staff.errors import EnrolmentCodeFailed, SecondFactorFailed
from lk_core.staff.ports import StaffEventQuery
from lk_core.staff.sign_in import (
    SecondFactorExpired,
    enter_enrolment_code,
    recovery_codes_left,
    second_factor_step,
    sign_in_with_code,
    sign_in_with_password,
)
from staff_fixtures import STAFF_PASSWORD, a_new_member, a_staff_context, the_code, the_key

IP = "203.0.113.7"


@pytest.fixture
def ctx() -> StaffContext:
    return a_staff_context(InMemoryUnitOfWorkFactory())


def password_step(ctx: StaffContext, login: str = "ivanova") -> str:
    return sign_in_with_password(ctx, login, STAFF_PASSWORD, ip=IP, current_session=None)


def enrolled(ctx: StaffContext) -> tuple[str, ...]:
    """Ivanova created and enrolled; her recovery codes."""
    code = a_new_member(ctx)
    enrolling = enter_enrolment_code(ctx, password_step(ctx), code, ip=IP)
    signed_in = sign_in_with_code(ctx, enrolling, the_code(ctx), ip=IP)
    ctx.clock.advance(seconds=30)  # type: ignore[attr-defined]
    return signed_in.recovery_codes


def audit_kinds(ctx: StaffContext) -> list[AuditKind]:
    with ctx.uow_factory(read_only=True) as uow:
        found = uow.staff_audit.staff_events(StaffEventQuery(), 0, 100)
    return [event.kind for event in found]


# --- the codes ----------------------------------------------------------------------------


def test_an_enrolment_code_has_at_least_128_random_bits_in_groups_of_four() -> None:
    code = new_enrolment_code()

    assert re.fullmatch(r"[A-Z2-7]{4}(-[A-Z2-7]{4}){6}", code)
    assert len(normalized_code(code)) * 5 >= 128
    assert new_enrolment_code() != code


def test_ten_distinct_recovery_codes_are_made_each_of_80_bits() -> None:
    codes = new_recovery_codes()

    assert len(set(codes)) == RECOVERY_CODES == 10
    assert all(re.fullmatch(r"[A-Z2-7]{4}(-[A-Z2-7]{4}){3}", code) for code in codes)
    assert all(not is_totp_code(code) for code in codes)


@given(st.text(alphabet=ALPHABET, min_size=1, max_size=32), st.sampled_from([" ", "-", ""]))
def test_a_code_hashes_alike_however_it_is_spaced_or_cased(raw: str, separator: str) -> None:
    typed = separator.join(raw[i : i + 4] for i in range(0, len(raw), 4)).lower()

    assert code_hash(typed) == code_hash(raw)


def test_six_digits_are_a_totp_code_anything_else_is_not() -> None:
    assert is_totp_code("123456")
    assert is_totp_code(" 123 456 ")
    assert not is_totp_code("12345")
    assert not is_totp_code("ABCD-EFGH-IJKL-MNOP")


# --- enrolment ----------------------------------------------------------------------------


def test_the_password_alone_makes_no_key_and_the_code_page_asks_for_the_enrolment_code(
    ctx: StaffContext,
) -> None:
    a_new_member(ctx)

    step = second_factor_step(ctx, password_step(ctx))

    assert step.needs_enrolment_code
    assert step.enrolment_uri is None
    with ctx.uow_factory(read_only=True) as uow:
        member = uow.staff.get("ivanova")
    assert member is not None
    assert member.totp_secret is None


def test_the_enrolment_code_makes_a_sealed_key_shown_to_that_session_only(
    ctx: StaffContext,
) -> None:
    code = a_new_member(ctx)
    other = password_step(ctx)

    enrolling = enter_enrolment_code(ctx, password_step(ctx), code, ip=IP)

    step = second_factor_step(ctx, enrolling)
    assert step.enrolment_secret == the_key(ctx)
    assert step.enrolment_uri is not None
    assert f"secret={the_key(ctx)}" in step.enrolment_uri
    assert second_factor_step(ctx, other).needs_enrolment_code
    with ctx.uow_factory(read_only=True) as uow:
        member = uow.staff.get("ivanova")
    assert member is not None
    assert member.totp_secret is not None
    assert the_key(ctx) not in member.totp_secret


def test_a_wrong_enrolment_code_changes_nothing(ctx: StaffContext) -> None:
    a_new_member(ctx)
    pending = password_step(ctx)

    with pytest.raises(EnrolmentCodeFailed):
        enter_enrolment_code(ctx, pending, new_enrolment_code(), ip=IP)
    with pytest.raises(EnrolmentCodeFailed):
        enter_enrolment_code(ctx, pending, "", ip=IP)

    assert second_factor_step(ctx, pending).needs_enrolment_code
    assert audit_kinds(ctx).count(AuditKind.STAFF_CODE_FAILED) == 2


def test_a_session_without_the_enrolment_code_cannot_sign_in_with_a_code(
    ctx: StaffContext,
) -> None:
    code = a_new_member(ctx)
    enter_enrolment_code(ctx, password_step(ctx), code, ip=IP)

    with pytest.raises(SecondFactorExpired):
        sign_in_with_code(ctx, password_step(ctx), the_code(ctx), ip=IP)


def test_the_first_code_confirms_the_key_and_brings_ten_recovery_codes(
    ctx: StaffContext,
) -> None:
    codes = enrolled(ctx)

    assert len(codes) == 10
    with ctx.uow_factory(read_only=True) as uow:
        member = uow.staff.get("ivanova")
    assert member is not None
    assert member.is_enrolled
    assert recovery_codes_left(ctx, member) == 10


def test_a_later_sign_in_brings_no_recovery_codes(ctx: StaffContext) -> None:
    enrolled(ctx)

    signed_in = sign_in_with_code(ctx, password_step(ctx), the_code(ctx), ip=IP)

    assert signed_in.recovery_codes == ()


# --- recovery codes -----------------------------------------------------------------------


def test_a_recovery_code_signs_in_once_and_is_audited(ctx: StaffContext) -> None:
    codes = enrolled(ctx)

    signed_in = sign_in_with_code(ctx, password_step(ctx), codes[0], ip=IP)

    assert signed_in.session_id
    assert AuditKind.STAFF_RECOVERY_CODE_USED in audit_kinds(ctx)
    with pytest.raises(SecondFactorFailed):
        sign_in_with_code(ctx, password_step(ctx), codes[0], ip=IP)


def test_recovery_codes_are_not_accepted_while_enrolling(ctx: StaffContext) -> None:
    codes = enrolled(ctx)
    with ctx.uow_factory(read_only=True) as uow:
        member = uow.staff.get("ivanova")
    assert member is not None
    change = reset_staff(ctx, "operator:test", "ivanova", STAFF_PASSWORD, STAFF_PASSWORD)
    assert change.enrolment_code is not None
    enrolling = enter_enrolment_code(ctx, password_step(ctx), change.enrolment_code, ip=IP)

    with pytest.raises(SecondFactorFailed):
        sign_in_with_code(ctx, enrolling, codes[1], ip=IP)
    assert recovery_codes_left(ctx, member) == 0


# --- the sealed key -----------------------------------------------------------------------


def test_a_key_no_secret_key_opens_signs_no_one_in(ctx: StaffContext) -> None:
    enrolled(ctx)
    code = the_code(ctx)
    rotated_away = a_staff_context(ctx.uow_factory, ctx.clock, ("another-key" * 4,))  # type: ignore[arg-type]

    with pytest.raises(SecondFactorFailed):
        sign_in_with_code(rotated_away, password_step(rotated_away), code, ip=IP)


def test_after_a_rotation_the_old_key_signs_in_and_reseal_moves_it_to_the_new_one(
    ctx: StaffContext,
) -> None:
    enrolled(ctx)
    secret = the_key(ctx)
    old_key = "a-test-secret-key-of-at-least-32-characters"
    rotated = a_staff_context(ctx.uow_factory, ctx.clock, ("the-new-key" * 4, old_key))  # type: ignore[arg-type]

    assert reseal_staff_secrets(rotated, "operator:test") == 1

    assert the_key(rotated) == secret
    new_only = a_staff_context(ctx.uow_factory, ctx.clock, ("the-new-key" * 4,))  # type: ignore[arg-type]
    assert the_key(new_only) == secret
    sign_in_with_code(new_only, password_step(new_only), the_code(new_only), ip=IP)
