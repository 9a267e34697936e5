"""First visit and registration with e-mail confirmation (F2–F4, F6)."""

from __future__ import annotations

import attrs

from lk_core.access.audit import AuditKind
from lk_core.access.context import AccessContext
from lk_core.access.errors import (
    AlreadyRegistered,
    FirstVisitFailed,
    RegistrationSessionExpired,
    TokenInvalid,
)
from lk_core.access.guarding import (
    audit,
    live_session,
    open_session,
    release_attempt,
    reserve_attempt,
)
from lk_core.access.one_time_secrets import (
    OneTimeSecret,
    SecretPurpose,
    hash_secret,
    issue_link_token,
)
from lk_core.access.passwords import check_new_password
from lk_core.access.ports import AccessUnitOfWork
from lk_core.access.redemption import redeem_stored
from lk_core.access.registration import (
    ConfirmationMethod,
    Consent,
    ConsentKind,
    Registration,
    ensure_email_has_room,
)
from lk_core.access.sign_in import TOUCH_EVERY
from lk_core.access.throttling import buckets
from lk_core.accounts.account import Account, AccountNumber
from lk_core.accounts.contacts import Email
from lk_core.kernel.errors import InvalidValue
from lk_core.messaging.notices import registration_link
from lk_core.messaging.outbox import queue_email


def first_visit(
    ctx: AccessContext, number: str, surname: str, *, ip: str, current_session: str | None
) -> str:
    """Number and surname of an unregistered account open its registration form (F2)."""
    now = ctx.clock.now()
    try:
        key = AccountNumber.parse(number).key
    except InvalidValue:
        key = "?" + "".join(number.split())[:20]
    guarded = buckets(ctx.throttle.first_visit, account=key, ip=ip)
    with ctx.uow_factory() as uow:
        reserve_attempt(uow, guarded, now)
        account = uow.accounts.get(key)
        if account is None or not account.surname_matches(surname):
            audit(uow, AuditKind.FIRST_VISIT_FAILED, now, account_key=key, ip=ip)
            uow.commit()
            raise FirstVisitFailed()
        release_attempt(uow, guarded, now)  # only failures count
        registration = uow.registrations.get(key)
        if registration is not None and registration.is_confirmed:
            raise AlreadyRegistered()
        raw = open_session(uow, now, current_session, pending_account_key=key)
        uow.commit()
        return raw


@attrs.frozen
class RegistrationForm:
    """What the resident typed on the registration form (F3)."""

    surname: str
    email: str
    password: str = attrs.field(repr=False)
    confirmation: str = attrs.field(repr=False)
    consent: bool
    method: ConfirmationMethod


@attrs.frozen
class RegistrationStarted:
    account_key: str
    method: ConfirmationMethod
    email: str


def pending_account(
    ctx: AccessContext, uow: AccessUnitOfWork, raw_session: str | None, *, touch: bool = False
) -> Account:
    """The account whose registration this browser is filling in; with `touch` (in a unit
    of work that writes) the step counts as activity against the idle timeout."""
    now = ctx.clock.now()
    session = live_session(uow, raw_session, now, ctx.sessions.idle, ctx.sessions.absolute)
    if session is None or session.pending_account_key is None:
        raise RegistrationSessionExpired()
    if touch and now - session.last_seen_at >= TOUCH_EVERY:
        session.last_seen_at = now
        uow.sessions.save(session)
    account = uow.accounts.get(session.pending_account_key)
    if account is None:
        raise RegistrationSessionExpired()
    return account


def submit_registration(
    ctx: AccessContext,
    raw_session: str | None,
    form: RegistrationForm,
    *,
    ip: str,
    user_agent: str,
) -> RegistrationStarted:
    """Store a pending registration with its consent; for e-mail, queue the link (F3, F4)."""
    now = ctx.clock.now()
    with ctx.uow_factory(read_only=True) as uow:
        account = pending_account(ctx, uow, raw_session)
    if not account.surname_matches(form.surname):
        raise InvalidValue("surname", form.surname, "Фамилия не совпадает с указанной в счёте")
    email = Email.parse(form.email)
    if not form.consent:
        raise InvalidValue(
            "consent", False, "Без согласия на обработку персональных данных регистрация невозможна"
        )
    check_new_password(
        form.password,
        form.confirmation,
        ctx.policies.password,
        common=ctx.common_passwords,
        context_words=(account.number.digits, account.surname, ctx.company_name),
    )
    password_hash = ctx.hasher.hash(form.password)
    with ctx.uow_factory() as uow:
        earlier = uow.registrations.get(account.key)
        if earlier is not None and earlier.is_confirmed:
            raise AlreadyRegistered()
        taken = uow.registrations.count_with_email(email.key)
        if earlier is not None and earlier.email.key == email.key:
            taken -= 1
        ensure_email_has_room(taken, ctx.policies.registration)
        if earlier is not None:
            _void_secrets_of(uow, account.key)
        uow.registrations.save(Registration(account.key, email, password_hash, form.method, now))
        uow.consents.add(
            Consent(
                account.key, ConsentKind.PERSONAL_DATA, ctx.consent_version, True, now,
                ip, user_agent[:500], email.address,
            )
        )  # fmt: skip
        audit(uow, AuditKind.CONSENT_GIVEN, now, account_key=account.key, ip=ip,
              consent=ConsentKind.PERSONAL_DATA.value, version=ctx.consent_version)  # fmt: skip
        audit(uow, AuditKind.REGISTRATION_STARTED, now, account_key=account.key, ip=ip,
              method=form.method.value)  # fmt: skip
        if form.method is ConfirmationMethod.EMAIL:
            lifetime = ctx.policies.registration.email_link_lifetime
            raw, secret = issue_link_token(
                SecretPurpose.REGISTRATION, account.key, now=now, lifetime=lifetime,
                pepper=ctx.pepper,
            )  # fmt: skip
            uow.secrets.add(secret)
            uow.outbox.add(
                queue_email(
                    registration_link(
                        email.address, ctx.company_name, str(account.number),
                        ctx.links.confirm_registration(raw), lifetime,
                    ),
                    now,
                )
            )  # fmt: skip
        uow.commit()
    return RegistrationStarted(account.key, form.method, email.address)


def _void_secrets_of(uow: AccessUnitOfWork, account_key: str) -> None:
    """A replaced registration's link and codes must not confirm the new one."""
    for purpose in (SecretPurpose.REGISTRATION, SecretPurpose.SMS_CONFIRMATION):
        secret = uow.secrets.latest(account_key, purpose)
        if secret is not None and secret.attempts_left > 0:
            uow.secrets.void(secret.secret_hash)


def secret_belongs_to(secret: OneTimeSecret, registration: Registration) -> bool:
    """Only secrets issued for this registration count for it, not an earlier one's."""
    return secret.issued_at >= registration.created_at


def confirm_registration_link(
    ctx: AccessContext, raw_token: str, *, ip: str, current_session: str | None
) -> str:
    """Following the e-mailed link completes registration and signs in (F4)."""
    now = ctx.clock.now()
    with ctx.uow_factory() as uow:
        secret = uow.secrets.find(hash_secret(raw_token, ctx.pepper))
        if secret is None or secret.purpose is not SecretPurpose.REGISTRATION:
            raise TokenInvalid("unknown", "Ссылка недействительна")
        redeem_stored(uow.secrets, secret, raw_token, SecretPurpose.REGISTRATION, now, ctx.pepper)
        registration = uow.registrations.get(secret.subject)
        if (
            registration is None
            or registration.method is not ConfirmationMethod.EMAIL
            or not secret_belongs_to(secret, registration)
        ):
            raise TokenInvalid("unknown", "Ссылка недействительна")
        registration.confirm(now)
        uow.registrations.save(registration)
        account = uow.accounts.get(registration.account_key)
        if account is not None and account.email is None:
            account.email = registration.email
            uow.accounts.save(account)
        audit(uow, AuditKind.REGISTRATION_CONFIRMED, now, account_key=secret.subject, ip=ip,
              method="email")  # fmt: skip
        raw = open_session(uow, now, current_session, registration_key=secret.subject)
        uow.commit()
        return raw
