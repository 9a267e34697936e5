"""Registration confirmed by an SMS code (F5): send, check («Подтверждено»), save."""

from __future__ import annotations

import datetime as dt

import attrs

from lk_core.access.audit import AuditKind
from lk_core.access.context import AccessContext
from lk_core.access.errors import PhoneNotConfirmed, RegistrationSessionExpired, TokenInvalid
from lk_core.access.first_visit import pending_account, secret_belongs_to
from lk_core.access.guarding import audit, open_session, release_attempt, reserve_attempt
from lk_core.access.one_time_secrets import SecretPurpose, issue_sms_code
from lk_core.access.ports import AccessUnitOfWork
from lk_core.access.redemption import redeem_stored
from lk_core.access.registration import ConfirmationMethod, Registration
from lk_core.access.throttling import buckets
from lk_core.accounts.contacts import Phone
from lk_core.messaging.notices import sms_code
from lk_core.messaging.outbox import queue_sms

# After «ОК» the resident has this long to press «Сохранить».
CONFIRMED_PHONE_KEEPS = dt.timedelta(minutes=30)


def _pending_sms_registration(
    ctx: AccessContext, uow: AccessUnitOfWork, raw_session: str | None, *, touch: bool = False
) -> Registration:
    account = pending_account(ctx, uow, raw_session, touch=touch)
    registration = uow.registrations.get(account.key)
    if registration is None or registration.is_confirmed:
        raise RegistrationSessionExpired()
    if registration.method is not ConfirmationMethod.SMS:
        raise RegistrationSessionExpired()
    return registration


def send_sms_code(
    ctx: AccessContext, raw_session: str | None, phone_text: str, *, ip: str
) -> Phone:
    """Queue a fresh code to the phone, a mobile one; a resend replaces the earlier code."""
    now = ctx.clock.now()
    phone = Phone.parse_mobile(phone_text)
    guarded = buckets(ctx.throttle.sms_send, phone=phone.e164, ip=ip)
    with ctx.uow_factory() as uow:
        registration = _pending_sms_registration(ctx, uow, raw_session, touch=True)
        reserve_attempt(uow, guarded, now)
        policy = ctx.policies.registration
        earlier = uow.secrets.latest(registration.account_key, SecretPurpose.SMS_CONFIRMATION)
        if earlier is not None and earlier.used_at is None:
            uow.secrets.void(earlier.secret_hash)
        raw, secret = issue_sms_code(
            registration.account_key, now=now, lifetime=policy.sms_code_lifetime,
            attempts=policy.sms_code_attempts, pepper=ctx.pepper, payload=phone.e164,
        )  # fmt: skip
        uow.secrets.add(secret)
        uow.outbox.add(queue_sms(sms_code(phone.e164, raw, ctx.company_name), now))
        audit(uow, AuditKind.SMS_CODE_SENT, now, account_key=registration.account_key, ip=ip)
        uow.commit()
    return phone


def check_sms_code(ctx: AccessContext, raw_session: str | None, code: str, *, ip: str) -> Phone:
    """A right code marks the phone confirmed; a wrong one costs an attempt."""
    now = ctx.clock.now()
    guarded = buckets(ctx.throttle.code_check, ip=ip)
    with ctx.uow_factory() as uow:
        registration = _pending_sms_registration(ctx, uow, raw_session, touch=True)
        reserve_attempt(uow, guarded, now)
        secret = uow.secrets.latest(registration.account_key, SecretPurpose.SMS_CONFIRMATION)
        if secret is None or not secret_belongs_to(secret, registration):
            raise TokenInvalid("unknown", "Сначала запросите код: нажмите «Отправить смс»")
        try:
            redeem_stored(
                uow.secrets, secret, code.strip(), SecretPurpose.SMS_CONFIRMATION, now, ctx.pepper
            )
        except TokenInvalid:
            audit(uow, AuditKind.SMS_CODE_FAILED, now, account_key=registration.account_key,
                  ip=ip)  # fmt: skip
            uow.commit()
            raise
        release_attempt(uow, guarded, now)  # only failures count
        uow.commit()
        return Phone(secret.payload)


def confirmed_phone(ctx: AccessContext, raw_session: str | None) -> Phone | None:
    """The phone this registration has confirmed by code, if it still counts."""
    now = ctx.clock.now()
    with ctx.uow_factory(read_only=True) as uow:
        registration = _pending_sms_registration(ctx, uow, raw_session)
        secret = uow.secrets.latest(registration.account_key, SecretPurpose.SMS_CONFIRMATION)
    if secret is not None and not (
        secret_belongs_to(secret, registration) and secret.attempts_left > 0
    ):
        secret = None
    if secret is None or secret.used_at is None or now - secret.used_at > CONFIRMED_PHONE_KEEPS:
        return None
    return Phone(secret.payload)


def complete_sms_registration(ctx: AccessContext, raw_session: str | None, *, ip: str) -> str:
    """«Сохранить»: the confirmed phone completes registration and signs in."""
    phone = confirmed_phone(ctx, raw_session)
    if phone is None:
        raise PhoneNotConfirmed()
    now = ctx.clock.now()
    with ctx.uow_factory() as uow:
        registration = _pending_sms_registration(ctx, uow, raw_session, touch=True)
        registration.phone = phone
        registration.confirm(now)
        uow.registrations.save(registration)
        account = uow.accounts.get(registration.account_key)
        if account is not None and account.phone is None:
            account.phone = phone
            uow.accounts.save(account)
        audit(uow, AuditKind.REGISTRATION_CONFIRMED, now, account_key=registration.account_key,
              ip=ip, method="sms")  # fmt: skip
        raw = open_session(uow, now, raw_session, registration_key=registration.account_key)
        uow.commit()
        return raw


@attrs.frozen
class SmsStep:
    """Where the SMS confirmation stands: a code sent to a phone, or the phone confirmed."""

    sent_to: Phone | None
    confirmed: Phone | None


def sms_step(ctx: AccessContext, raw_session: str | None) -> SmsStep:
    now = ctx.clock.now()
    with ctx.uow_factory(read_only=True) as uow:
        registration = _pending_sms_registration(ctx, uow, raw_session)
        secret = uow.secrets.latest(registration.account_key, SecretPurpose.SMS_CONFIRMATION)
    if secret is None or not secret_belongs_to(secret, registration):
        return SmsStep(None, None)
    if secret.attempts_left <= 0 and secret.used_at is not None:
        return SmsStep(None, None)
    phone = Phone(secret.payload)
    if secret.used_at is not None:
        fresh = now - secret.used_at <= CONFIRMED_PHONE_KEEPS
        return SmsStep(phone, phone if fresh else None)
    return SmsStep(phone if secret.is_usable(now) else None, None)
