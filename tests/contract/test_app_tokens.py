"""Tokens of the JSON API (ADR 0061) over every persistence adapter: lifetimes, rotation,
reuse detection, and revocation by sign-out, password change and device revoke. An access
token is checked the way a browser's session is (`visitor_of`)."""

from __future__ import annotations

import datetime as dt

import pytest

from access_fixtures import (
    IP,
    IVANOV,
    NEW_PASSWORD,
    PASSWORD,
    SEMENOV,
    CountingHasher,
    MovableClock,
    an_access_context,
    fast_hasher,
    load_accounts,
    some_accounts,
)
from lk_adapters.portal_unit_of_work import PortalUnitOfWorkFactory
from lk_core.access.app_devices import token_hash
from lk_core.access.app_tokens import (
    IssuedTokens,
    devices_of,
    refresh_device,
    revoke_device,
    sign_in_device,
    sign_out_device,
)
from lk_core.access.audit import AuditKind
from lk_core.access.context import AccessContext
from lk_core.access.errors import SignInFailed, TokenRefused
from lk_core.access.housekeeping import purge_expired
from lk_core.access.password_change import PasswordChange, change_password
from lk_core.access.registration import RegistrationStatus
from lk_core.access.throttling import Throttled
from lk_core.access.visitor import visitor_of
from lk_core.kernel.errors import InvalidValue, NotFound

from .builders import a_registration


@pytest.fixture
def ctx(uow_factory: PortalUnitOfWorkFactory) -> AccessContext:
    """Иванов and Семёнов registered (confirmed) with `PASSWORD`."""
    load_accounts(uow_factory, some_accounts())
    hasher = CountingHasher(fast_hasher())
    ctx = an_access_context(uow_factory, MovableClock(), hasher)
    with uow_factory() as uow:
        for key, email in ((IVANOV, "ivanov@mail.ru"), (SEMENOV, "semenov@mail.ru")):
            uow.registrations.save(
                a_registration(
                    key, email=email, password_hash=hasher.hash(PASSWORD),
                    status=RegistrationStatus.CONFIRMED, confirmed_at=ctx.clock.now(),
                )
            )  # fmt: skip
        uow.commit()
    return ctx


def clock_of(ctx: AccessContext) -> MovableClock:
    assert isinstance(ctx.clock, MovableClock)
    return ctx.clock


def signed_in(ctx: AccessContext, name: str = "Мой телефон", number: str = IVANOV) -> IssuedTokens:
    return sign_in_device(ctx, number, PASSWORD, name, ip=IP, device_token=None)


def works(ctx: AccessContext, access_token: str) -> bool:
    return visitor_of(ctx, access_token).accounts is not None


def audited(ctx: AccessContext) -> list[AuditKind]:
    with ctx.uow_factory(read_only=True) as uow:
        return [event.kind for event in uow.audit.of_account(IVANOV, 50)]


def test_signing_in_gives_a_15_minute_access_token_and_a_refresh_token(
    ctx: AccessContext,
) -> None:
    tokens = signed_in(ctx)
    now = ctx.clock.now()

    assert tokens.access_expires_at == now + dt.timedelta(minutes=15)
    assert tokens.refresh_expires_at == now + dt.timedelta(days=30)
    assert tokens.device_token
    assert works(ctx, tokens.access_token)
    visitor = visitor_of(ctx, tokens.access_token)
    assert visitor.accounts is not None
    assert visitor.accounts.shown.key == IVANOV
    assert AuditKind.SIGN_IN in audited(ctx)


def test_only_hashes_of_tokens_are_stored(ctx: AccessContext) -> None:
    tokens = signed_in(ctx)

    with ctx.uow_factory(read_only=True) as uow:
        assert uow.sessions.get(tokens.access_token) is None
        assert uow.app_devices.refresh_token(tokens.refresh_token) is None
        assert uow.app_devices.refresh_token(token_hash(tokens.refresh_token)) is not None


def test_an_access_token_ends_after_15_minutes(ctx: AccessContext) -> None:
    tokens = signed_in(ctx)

    clock_of(ctx).advance(minutes=14, seconds=59)
    assert works(ctx, tokens.access_token)
    clock_of(ctx).advance(seconds=1)
    assert not works(ctx, tokens.access_token)


def test_a_wrong_password_signs_no_device_in_and_is_throttled_like_the_web(
    ctx: AccessContext,
) -> None:
    for _ in range(10):
        with pytest.raises(SignInFailed):
            sign_in_device(ctx, IVANOV, "не тот", "Телефон", ip=IP, device_token=None)

    with pytest.raises(Throttled):
        signed_in(ctx)
    assert devices_of(ctx, IVANOV) == []
    assert audited(ctx).count(AuditKind.SIGN_IN_FAILED) == 10


def test_a_device_needs_a_name(ctx: AccessContext) -> None:
    with pytest.raises(InvalidValue) as refused:
        signed_in(ctx, name="   ")

    assert refused.value.field == "device_name"


def test_a_refresh_token_rotates_on_every_use(ctx: AccessContext) -> None:
    first = signed_in(ctx)
    clock_of(ctx).advance(minutes=20)

    second = refresh_device(ctx, first.refresh_token, ip=IP)
    third = refresh_device(ctx, second.refresh_token, ip=IP)

    assert len({first.refresh_token, second.refresh_token, third.refresh_token}) == 3
    assert first.device_id == second.device_id == third.device_id
    assert not works(ctx, first.access_token)  # it ended after 15 minutes
    assert works(ctx, third.access_token)
    assert second.access_expires_at == ctx.clock.now() + dt.timedelta(minutes=15)


def test_a_reused_refresh_token_revokes_the_whole_family(ctx: AccessContext) -> None:
    first = signed_in(ctx)
    second = refresh_device(ctx, first.refresh_token, ip=IP)

    with pytest.raises(TokenRefused):
        refresh_device(ctx, first.refresh_token, ip="203.0.113.66")

    assert not works(ctx, second.access_token)
    with pytest.raises(TokenRefused):
        refresh_device(ctx, second.refresh_token, ip=IP)
    assert devices_of(ctx, IVANOV) == []
    assert AuditKind.TOKEN_REUSED in audited(ctx)


def test_a_family_revoked_leaves_the_residents_other_devices_alone(ctx: AccessContext) -> None:
    phone = signed_in(ctx, "Телефон")
    tablet = signed_in(ctx, "Планшет")
    refresh_device(ctx, phone.refresh_token, ip=IP)

    with pytest.raises(TokenRefused):
        refresh_device(ctx, phone.refresh_token, ip=IP)

    assert works(ctx, tablet.access_token)
    assert [d.name for d in devices_of(ctx, IVANOV)] == ["Планшет"]


def test_an_expired_or_unknown_refresh_token_is_refused(ctx: AccessContext) -> None:
    tokens = signed_in(ctx)
    clock_of(ctx).advance(days=30)

    with pytest.raises(TokenRefused):
        refresh_device(ctx, tokens.refresh_token, ip=IP)
    with pytest.raises(TokenRefused):
        refresh_device(ctx, "made-up", ip=IP)


def test_refusals_of_refresh_tokens_are_throttled_per_address(ctx: AccessContext) -> None:
    for _ in range(30):
        with pytest.raises(TokenRefused):
            refresh_device(ctx, "made-up", ip=IP)

    with pytest.raises(Throttled):
        refresh_device(ctx, "made-up", ip=IP)
    tokens = signed_in(ctx)
    assert refresh_device(ctx, tokens.refresh_token, ip="192.0.2.44").access_token


def test_signing_out_revokes_the_device(ctx: AccessContext) -> None:
    tokens = signed_in(ctx)

    sign_out_device(ctx, tokens.access_token, ip=IP)
    sign_out_device(ctx, tokens.access_token, ip=IP)

    assert not works(ctx, tokens.access_token)
    with pytest.raises(TokenRefused):
        refresh_device(ctx, tokens.refresh_token, ip=IP)
    assert devices_of(ctx, IVANOV) == []


def test_revoking_a_device_ends_its_tokens(ctx: AccessContext) -> None:
    phone = signed_in(ctx, "Телефон")
    tablet = signed_in(ctx, "Планшет")

    revoke_device(ctx, IVANOV, phone.device_id, ip=IP)

    assert not works(ctx, phone.access_token)
    with pytest.raises(TokenRefused):
        refresh_device(ctx, phone.refresh_token, ip=IP)
    assert works(ctx, tablet.access_token)
    assert AuditKind.DEVICE_REVOKED in audited(ctx)


def test_another_residents_device_cannot_be_revoked(ctx: AccessContext) -> None:
    semenov = signed_in(ctx, number=SEMENOV)

    with pytest.raises(NotFound):
        revoke_device(ctx, IVANOV, semenov.device_id, ip=IP)
    with pytest.raises(NotFound):
        revoke_device(ctx, IVANOV, "no-such-device", ip=IP)

    assert works(ctx, semenov.access_token)


def test_changing_the_password_revokes_every_other_device(ctx: AccessContext) -> None:
    phone = signed_in(ctx, "Телефон")
    tablet = signed_in(ctx, "Планшет")
    session = visitor_of(ctx, phone.access_token).session

    renewed = change_password(
        ctx, session, PasswordChange(PASSWORD, NEW_PASSWORD, NEW_PASSWORD), ip=IP
    )

    assert not works(ctx, tablet.access_token)
    with pytest.raises(TokenRefused):
        refresh_device(ctx, tablet.refresh_token, ip=IP)
    assert not works(ctx, phone.access_token)  # replaced by the renewed one
    assert works(ctx, renewed)
    renewed_session = visitor_of(ctx, renewed).session
    assert renewed_session is not None
    assert renewed_session.device_id == phone.device_id
    assert refresh_device(ctx, phone.refresh_token, ip=IP).device_id == phone.device_id
    assert [d.name for d in devices_of(ctx, IVANOV)] == ["Телефон"]


def test_housekeeping_forgets_devices_whose_refresh_tokens_all_ended(ctx: AccessContext) -> None:
    kept, ended = signed_in(ctx, "Телефон"), signed_in(ctx, "Старый планшет")
    clock_of(ctx).advance(days=29)
    kept = refresh_device(ctx, kept.refresh_token, ip=IP)
    clock_of(ctx).advance(days=2)

    report = purge_expired(ctx)

    assert report.devices == 1
    assert [d.id for d in devices_of(ctx, IVANOV)] == [kept.device_id]
    assert ended.device_id != kept.device_id
