"""Changing the registration's e-mail (F19): confirmed by a link to the new address.

Asking needs the current password (checked like a sign-in). The new address takes effect
only when its link is followed, which works signed out too; the old address is then told,
with the new one masked, so a resident whose session was hijacked hears of it.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import attrs

from lk_core.access.audit import AuditKind
from lk_core.access.context import AccessContext
from lk_core.access.errors import TokenInvalid, TooManyAccountsForEmail
from lk_core.access.first_visit import secret_belongs_to
from lk_core.access.guarding import audit
from lk_core.access.one_time_secrets import SecretPurpose, hash_secret, issue_link_token
from lk_core.access.password_change import verify_current_password
from lk_core.access.ports import AccessUnitOfWork
from lk_core.access.redemption import redeem_stored
from lk_core.access.sessions import Session
from lk_core.accounts.contacts import Email
from lk_core.kernel.errors import InvalidValue
from lk_core.messaging.notices import email_change_link, email_changed, masked_email
from lk_core.messaging.outbox import queue_email


def email_change_link_url(ctx: AccessContext, token: str) -> str:
    return ctx.links.base_url.rstrip("/") + f"/personal/email/confirm/{token}"


@attrs.frozen
class EmailChangeRequested:
    """Where the confirmation link went."""

    new_email: str


@attrs.frozen
class EmailChanged:
    """The registration whose address changed, and the masked new address."""

    account_key: str
    new_masked: str


def request_email_change(
    ctx: AccessContext,
    session: Session | None,
    new_email: str,
    current_password: str,
    *,
    ip: str,
) -> EmailChangeRequested:
    """Mail a confirmation link to the new address; nothing changes until it is followed."""
    now = ctx.clock.now()
    email = Email.parse(new_email)
    registration = verify_current_password(
        ctx, session, current_password, ip=ip, during="email_change"
    )
    key = registration.account_key
    if email.key == registration.email.key:
        raise InvalidValue("email", new_email, "Это и есть ваш нынешний адрес электронной почты")
    with ctx.uow_factory() as uow:
        _ensure_room_for(ctx, uow, key, email)
        _void_earlier_links(uow, key)
        lifetime = ctx.policies.registration.email_link_lifetime
        raw, secret = issue_link_token(
            SecretPurpose.EMAIL_CHANGE, key, now=now, lifetime=lifetime, pepper=ctx.pepper,
            payload=email.address,
        )  # fmt: skip
        uow.secrets.add(secret)
        account = uow.accounts.get(key)
        shown = str(account.number) if account else key
        uow.outbox.add(
            queue_email(
                email_change_link(
                    email.address, ctx.company_name, shown, email_change_link_url(ctx, raw),
                    lifetime,
                ),
                now,
            )
        )  # fmt: skip
        audit(uow, AuditKind.EMAIL_CHANGED, now, account_key=key, ip=ip, stage="requested")
        uow.commit()
    return EmailChangeRequested(email.address)


def pending_email_change(ctx: AccessContext, registration_key: str) -> str | None:
    """The new address waiting for its link to be followed, if any."""
    with ctx.uow_factory(read_only=True) as uow:
        return pending_email_in(uow, registration_key, ctx.clock.now())


def pending_email_in(uow: AccessUnitOfWork, registration_key: str, now: dt.datetime) -> str | None:
    """`pending_email_change`, read in the caller's unit of work."""
    secret = uow.secrets.latest(registration_key, SecretPurpose.EMAIL_CHANGE)
    if secret is None or not secret.is_usable(now):
        return None
    return secret.payload


def confirm_email_change(ctx: AccessContext, raw_token: str, *, ip: str) -> EmailChanged:
    """Following the link puts the new address in place; the old one is told."""
    now = ctx.clock.now()
    with ctx.uow_factory() as uow:
        secret = uow.secrets.find(hash_secret(raw_token, ctx.pepper))
        if secret is None or secret.purpose is not SecretPurpose.EMAIL_CHANGE:
            raise TokenInvalid("unknown", "Ссылка недействительна")
        redeem_stored(uow.secrets, secret, raw_token, SecretPurpose.EMAIL_CHANGE, now, ctx.pepper)
        registration = uow.registrations.get(secret.subject)
        if registration is None or not secret_belongs_to(secret, registration):
            raise TokenInvalid("unknown", "Ссылка недействительна")
        new = Email.parse(secret.payload)
        old = registration.email
        _ensure_room_for(ctx, uow, registration.account_key, new)
        uow.registrations.save(attrs.evolve(registration, email=new))
        account = uow.accounts.get(registration.account_key)
        if account is not None and account.email is not None and account.email.key == old.key:
            account.email = new
            uow.accounts.save(account)
        # A reset link already mailed to the old address must not outlive the change.
        reset = uow.secrets.latest(registration.account_key, SecretPurpose.PASSWORD_RESET)
        if reset is not None and reset.is_usable(now):
            uow.secrets.void(reset.secret_hash)
        local = now.astimezone(ZoneInfo(ctx.time_zone)).strftime("%d.%m.%Y %H:%M")
        shown = str(account.number) if account else registration.account_key
        uow.outbox.add(
            queue_email(
                email_changed(
                    old.address, ctx.company_name, shown, masked_email(new.address), local
                ),
                now,
            )
        )
        audit(uow, AuditKind.EMAIL_CHANGED, now, account_key=registration.account_key, ip=ip,
              stage="confirmed")  # fmt: skip
        uow.commit()
    return EmailChanged(registration.account_key, masked_email(new.address))


def _ensure_room_for(ctx: AccessContext, uow: AccessUnitOfWork, key: str, email: Email) -> None:
    """The new address must hold this registration's accounts (its own and the linked
    ones) besides those it already holds, within the accounts-per-e-mail limit."""
    held = uow.registrations.count_with_email(email.key) + uow.linked_accounts.count_for_email(
        email.key
    )
    registration = uow.registrations.get(key)
    if registration is not None and registration.email.key == email.key:
        return
    bringing = 1 + len(uow.linked_accounts.of_registration(key))
    if held + bringing > ctx.policies.registration.accounts_per_email:
        raise TooManyAccountsForEmail(ctx.policies.registration.accounts_per_email)


def _void_earlier_links(uow: AccessUnitOfWork, key: str) -> None:
    """Only the latest requested address can be confirmed."""
    earlier = uow.secrets.latest(key, SecretPurpose.EMAIL_CHANGE)
    if earlier is not None and earlier.attempts_left > 0 and earlier.used_at is None:
        uow.secrets.void(earlier.secret_hash)
