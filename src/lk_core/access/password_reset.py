"""Forgotten password (F7): the same answer whatever was typed; a one-time link; no auto sign-in."""

from __future__ import annotations

import hashlib
from zoneinfo import ZoneInfo

from lk_core.access.audit import AuditKind
from lk_core.access.context import AccessContext
from lk_core.access.errors import TokenInvalid
from lk_core.access.first_visit import secret_belongs_to
from lk_core.access.guarding import audit, reserve_attempt
from lk_core.access.one_time_secrets import SecretPurpose, hash_secret, issue_link_token
from lk_core.access.passwords import check_new_password
from lk_core.access.redemption import redeem_stored
from lk_core.access.throttling import buckets
from lk_core.accounts.account import AccountNumber
from lk_core.accounts.contacts import Email
from lk_core.kernel.errors import InvalidValue
from lk_core.messaging.notices import password_changed, password_reset_link
from lk_core.messaging.outbox import queue_email


def request_password_reset(ctx: AccessContext, number: str, email_text: str, *, ip: str) -> None:
    """Queue a reset link when number and e-mail match a registration; otherwise nothing.

    The caller shows one answer either way, so the form tells nobody whether a pair exists.
    """
    now = ctx.clock.now()
    try:
        key = AccountNumber.parse(number).key
        email = Email.parse(email_text)
    except InvalidValue:
        key, email = "?" + "".join(number.split())[:20], None
    # Counted per account *and* e-mail typed (ADR 0050): requests with someone else's guess
    # never use up the owner's. The address itself is not kept in the counters.
    typed = hashlib.sha256(email.key.encode()).hexdigest()[:16] if email is not None else "?"
    guarded = buckets(ctx.throttle.reset_request, account=key, email=typed, ip=ip)
    with ctx.uow_factory() as uow:
        reserve_attempt(uow, guarded, now)
        registration = uow.registrations.get(key)
        matched = (
            email is not None
            and registration is not None
            and registration.is_confirmed
            and registration.email.key == email.key
        )
        audit(uow, AuditKind.PASSWORD_RESET_REQUESTED, now, account_key=key, ip=ip,
              matched="yes" if matched else "no")  # fmt: skip
        if matched and registration is not None:
            lifetime = ctx.policies.registration.reset_link_lifetime
            raw, secret = issue_link_token(
                SecretPurpose.PASSWORD_RESET, key, now=now, lifetime=lifetime, pepper=ctx.pepper
            )
            uow.secrets.add(secret)
            account = uow.accounts.get(key)
            shown = str(account.number) if account else key
            uow.outbox.add(
                queue_email(
                    password_reset_link(
                        registration.email.address, ctx.company_name, shown,
                        ctx.links.reset_password(raw), lifetime,
                    ),
                    now,
                )
            )  # fmt: skip
        uow.commit()


def reset_link_is_usable(ctx: AccessContext, raw_token: str) -> bool:
    """Whether a reset link can still be used (to show the form or explain at once)."""
    with ctx.uow_factory(read_only=True) as uow:
        secret = uow.secrets.find(hash_secret(raw_token, ctx.pepper))
        registration = uow.registrations.get(secret.subject) if secret is not None else None
    return (
        secret is not None
        and registration is not None
        and secret.purpose is SecretPurpose.PASSWORD_RESET
        and secret.is_usable(ctx.clock.now())
        and secret_belongs_to(secret, registration)
    )


def reset_password(
    ctx: AccessContext, raw_token: str, password: str, confirmation: str, *, ip: str
) -> None:
    """Set a new password by link; every session of the registration ends; a notice goes out."""
    now = ctx.clock.now()
    with ctx.uow_factory(read_only=True) as uow:
        secret = uow.secrets.find(hash_secret(raw_token, ctx.pepper))
        if secret is None or not secret.is_usable(now):
            raise TokenInvalid("unknown", "Ссылка недействительна или устарела")
        account = uow.accounts.get(secret.subject)
    if account is None:
        raise TokenInvalid("unknown", "Ссылка недействительна")
    check_new_password(
        password, confirmation, ctx.policies.password, common=ctx.common_passwords,
        context_words=(account.number.digits, account.surname, ctx.company_name),
    )  # fmt: skip
    new_hash = ctx.hasher.hash(password)
    with ctx.uow_factory() as uow:
        secret = uow.secrets.find(hash_secret(raw_token, ctx.pepper))
        registration = uow.registrations.get(account.key)
        # A link mailed to an earlier registration of the account (since reset by an
        # operator and registered again) must not set the new one's password.
        if secret is None or registration is None or not secret_belongs_to(secret, registration):
            raise TokenInvalid("unknown", "Ссылка недействительна")
        redeem_stored(uow.secrets, secret, raw_token, SecretPurpose.PASSWORD_RESET, now, ctx.pepper)
        registration.change_password_hash(new_hash)
        uow.registrations.save(registration)
        uow.sessions.delete_of_registration(account.key, None)
        uow.app_devices.revoke_of_registration(account.key, None, now)
        local = now.astimezone(ZoneInfo(ctx.time_zone)).strftime("%d.%m.%Y %H:%M")
        uow.outbox.add(
            queue_email(
                password_changed(
                    registration.email.address, ctx.company_name, str(account.number), local
                ),
                now,
            )
        )
        audit(uow, AuditKind.PASSWORD_RESET, now, account_key=account.key, ip=ip)
        uow.commit()
