"""Signing in through the JSON API (F28, ADR 0061): tokens per device, rotation, reuse
detection and revocation.

An access token is a session in the same store as a browser's (its id is the token), so
every check of it is the web's: `visitor_of`, the idle and absolute timeouts, plus its own
end 15 minutes after issue. A refresh token is exchanged once for a new pair; presenting
one already exchanged revokes its device, every token of the family.
"""

from __future__ import annotations

import datetime as dt
import secrets

import attrs

from lk_core.access.app_devices import (
    DEVICE_NAME_LENGTH,
    AppDevice,
    RefreshToken,
    new_token,
    token_hash,
)
from lk_core.access.audit import AuditKind
from lk_core.access.context import AccessContext
from lk_core.access.errors import TokenRefused
from lk_core.access.guarding import audit, release_attempt, reserve_attempt
from lk_core.access.ports import AccessUnitOfWork
from lk_core.access.sessions import new_session, session_id_hash
from lk_core.access.sign_in import sign_in_with_device
from lk_core.access.throttling import buckets
from lk_core.kernel.errors import InvalidValue, NotFound


@attrs.frozen
class IssuedTokens:
    """What a device keeps after signing in or refreshing; only their hashes are stored."""

    access_token: str = attrs.field(repr=False)
    access_expires_at: dt.datetime
    refresh_token: str = attrs.field(repr=False)
    refresh_expires_at: dt.datetime
    device_id: str
    # The sign-in budget of a device known to the account (ADR 0050), kept by the app.
    device_token: str = attrs.field(repr=False, default="")


def device_name(text: str) -> str:
    """The name a resident gave the device, tidied; an empty one is refused."""
    name = " ".join(text.split())[:DEVICE_NAME_LENGTH]
    if not name:
        raise InvalidValue("device_name", text, "Укажите название устройства")
    return name


def _issue(
    uow: AccessUnitOfWork, ctx: AccessContext, device: AppDevice, account_key: str | None
) -> IssuedTokens:
    """A fresh access token (a session of the device) and refresh token, stored hashed."""
    now = ctx.clock.now()
    raw_access, session = new_session(now)
    session.registration_key = device.registration_key
    session.account_key = account_key or device.registration_key
    session.device_id = device.id
    session.expires_at = now + ctx.tokens.access
    uow.sessions.add(session)
    raw_refresh, refresh_hash = new_token()
    refresh = RefreshToken(refresh_hash, device.id, now, now + ctx.tokens.refresh)
    uow.app_devices.add_refresh_token(refresh)
    return IssuedTokens(raw_access, session.expires_at, raw_refresh, refresh.expires_at, device.id)


def sign_in_device(
    ctx: AccessContext,
    number: str,
    password: str,
    name: str,
    *,
    ip: str,
    device_token: str | None,
) -> IssuedTokens:
    """Check the pair exactly as the sign-in page does (throttles, audit, device budget)
    and sign a new device in under `name`."""
    name = device_name(name)
    signed_in = sign_in_with_device(
        ctx, number, password, ip=ip, current_session=None, device_cookie=device_token
    )
    issued = device_of_session(ctx, signed_in.session_id, name)
    return attrs.evolve(issued, device_token=signed_in.device_cookie)


def device_of_session(ctx: AccessContext, raw_session: str, name: str) -> IssuedTokens:
    """A session just signed in (by the sign-in check, or by completing a registration)
    becomes a device's tokens: the session ends, the device signs in under `name`."""
    name = device_name(name)
    now = ctx.clock.now()
    with ctx.uow_factory() as uow:
        opened = uow.sessions.get(session_id_hash(raw_session))
        if opened is None or opened.registration_key is None:
            raise TokenRefused()
        uow.sessions.delete(opened.id_hash)
        device = AppDevice(secrets.token_urlsafe(12), opened.registration_key, name, now, now)
        uow.app_devices.add(device)
        issued = _issue(uow, ctx, device, opened.account_key)
        uow.commit()
    return issued


def refresh_device(ctx: AccessContext, raw_refresh: str, *, ip: str) -> IssuedTokens:
    """Exchange a refresh token for a new pair. A token already exchanged revokes its
    device and every token of it: the device's own copy and a stolen one cannot both go
    on. Failures are counted against the client's address, like other secret checks."""
    now = ctx.clock.now()
    guarded = buckets(ctx.throttle.token_refresh, ip=ip)
    with ctx.uow_factory() as uow:
        reserve_attempt(uow, guarded, now)
        token = uow.app_devices.refresh_token(token_hash(raw_refresh)) if raw_refresh else None
        device = uow.app_devices.get(token.device_id) if token is not None else None
        if token is None or device is None or device.is_revoked or token.is_expired(now):
            audit(uow, AuditKind.TOKEN_REFUSED, now,
                  account_key=device.registration_key if device else None, ip=ip)  # fmt: skip
            uow.commit()
            raise TokenRefused()
        if token.used_at is not None or not uow.app_devices.use_refresh_token(
            token.token_hash, now
        ):
            _revoke(uow, device.id, now)
            audit(uow, AuditKind.TOKEN_REUSED, now, account_key=device.registration_key,
                  ip=ip, device=device.id)  # fmt: skip
            uow.commit()
            raise TokenRefused()
        release_attempt(uow, guarded, now)
        uow.app_devices.touch(device.id, now)
        issued = _issue(uow, ctx, device, None)
        audit(uow, AuditKind.TOKEN_REFRESHED, now, account_key=device.registration_key,
              ip=ip, device=device.id)  # fmt: skip
        uow.commit()
    return issued


def _revoke(uow: AccessUnitOfWork, device_id: str, now: dt.datetime) -> None:
    uow.app_devices.revoke(device_id, now)
    uow.sessions.delete_of_device(device_id)


def devices_of(ctx: AccessContext, registration_key: str) -> list[AppDevice]:
    """The devices signed in to a registration through the API, not revoked."""
    with ctx.uow_factory(read_only=True) as uow:
        return uow.app_devices.of_registration(registration_key)


def revoke_device(ctx: AccessContext, registration_key: str, device_id: str, *, ip: str) -> None:
    """Revoke one of the resident's devices: its refresh tokens stop working and its access
    tokens with them. Another resident's device, or an unknown one, is `NotFound`."""
    now = ctx.clock.now()
    with ctx.uow_factory() as uow:
        device = uow.app_devices.get(device_id)
        if device is None or device.registration_key != registration_key or device.is_revoked:
            raise NotFound("device", device_id)
        _revoke(uow, device_id, now)
        audit(uow, AuditKind.DEVICE_REVOKED, now, account_key=registration_key, ip=ip,
              device=device_id)  # fmt: skip
        uow.commit()


def sign_out_device(ctx: AccessContext, raw_access: str, *, ip: str) -> None:
    """Sign a device out with its access token: the device is revoked, every token of it
    stops working. Signing out twice is harmless."""
    now = ctx.clock.now()
    with ctx.uow_factory() as uow:
        session = uow.sessions.get(session_id_hash(raw_access))
        if session is None or session.device_id is None:
            uow.commit()
            return
        _revoke(uow, session.device_id, now)
        audit(uow, AuditKind.SIGN_OUT, now, account_key=session.registration_key, ip=ip,
              channel="api", device=session.device_id)  # fmt: skip
        uow.commit()
