"""«Изменить пароль» (F19): the current password first, then the new one by policy.

The current password is checked like a sign-in (same throttles, before argon2). On
success every other session of the registration ends, this one gets a new id (a
privilege change), and a notice goes to the e-mail on file; the password itself is never
sent anywhere (ADR 0015).
"""

from __future__ import annotations

import hashlib
from zoneinfo import ZoneInfo

import attrs

from lk_core.access.audit import AuditKind
from lk_core.access.context import AccessContext
from lk_core.access.errors import CurrentPasswordWrong
from lk_core.access.guarding import audit, release_attempt, reserve_attempt
from lk_core.access.linking import signed_in
from lk_core.access.passwords import check_new_password
from lk_core.access.registration import Registration
from lk_core.access.sessions import Session, new_session
from lk_core.access.throttling import Throttled, buckets
from lk_core.kernel.errors import InvalidValue, NotFound
from lk_core.messaging.notices import password_changed
from lk_core.messaging.outbox import queue_email


@attrs.frozen
class PasswordChange:
    """What the resident typed on the «Изменить пароль» form."""

    current: str = attrs.field(repr=False)
    new: str = attrs.field(repr=False)
    confirmation: str = attrs.field(repr=False)


def verify_current_password(
    ctx: AccessContext, session: Session | None, password: str, *, ip: str, during: str
) -> Registration:
    """The signed-in registration, once its current password is proved; throttled like a
    sign-in from a known browser (ADR 0050): the session has a budget of its own, so
    strangers flooding the account's sign-in do not block its owner here, and one who
    took over the session gets a known browser's tries and no more."""
    now = ctx.clock.now()
    this, key = signed_in(session)
    if not password:
        raise InvalidValue("current_password", "", "Введите текущий пароль")
    guarded = buckets(ctx.throttle.sign_in_known_device, device=_session_device(this))
    with ctx.uow_factory() as uow:
        registration = uow.registrations.get(key)
        if registration is None:
            raise NotFound("registration", key)
        try:
            reserve_attempt(uow, guarded, now)
        except Throttled:
            audit(uow, AuditKind.SIGN_IN_THROTTLED, now, account_key=key, ip=ip, during=during)
            uow.commit()
            raise
        uow.commit()
    matches = ctx.hasher.verify(registration.password_hash, password)
    with ctx.uow_factory() as uow:
        if not matches:
            audit(uow, AuditKind.SIGN_IN_FAILED, now, account_key=key, ip=ip, during=during)
            uow.commit()
            raise CurrentPasswordWrong()
        release_attempt(uow, guarded, now)
        uow.commit()
    return registration


def _session_device(session: Session) -> str:
    """A name for the session's budget that does not give away its id's hash."""
    return "session-" + hashlib.sha256(f"device:{session.id_hash}".encode()).hexdigest()[:22]


def change_password(
    ctx: AccessContext, session: Session | None, form: PasswordChange, *, ip: str
) -> str:
    """Set the new password; return the session's new id for the cookie."""
    now = ctx.clock.now()
    this, key = signed_in(session)
    with ctx.uow_factory(read_only=True) as uow:
        account = uow.accounts.get(key)
    if account is None:
        raise NotFound("account", key)
    check_new_password(
        form.new, form.confirmation, ctx.policies.password, common=ctx.common_passwords,
        context_words=(account.number.digits, account.surname, ctx.company_name),
    )  # fmt: skip
    verify_current_password(ctx, this, form.current, ip=ip, during="password_change")
    new_hash = ctx.hasher.hash(form.new)
    with ctx.uow_factory() as uow:
        registration = uow.registrations.get(key)
        if registration is None:
            raise NotFound("registration", key)
        registration.change_password_hash(new_hash)
        uow.registrations.save(registration)
        uow.sessions.delete_of_registration(key, keep_id_hash=this.id_hash)
        # Every other device signed in through the API loses its tokens too (ADR 0061).
        uow.app_devices.revoke_of_registration(key, this.device_id, now)
        uow.sessions.delete(this.id_hash)
        raw, renewed = new_session(now)
        renewed.registration_key = key
        renewed.account_key = this.account_key or key
        renewed.device_id, renewed.expires_at = this.device_id, this.expires_at
        uow.sessions.add(renewed)
        local = now.astimezone(ZoneInfo(ctx.time_zone)).strftime("%d.%m.%Y %H:%M")
        uow.outbox.add(
            queue_email(
                password_changed(
                    registration.email.address, ctx.company_name, str(account.number), local
                ),
                now,
            )
        )
        audit(uow, AuditKind.PASSWORD_CHANGED, now, account_key=key, ip=ip)
        uow.commit()
    return raw
