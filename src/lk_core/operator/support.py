"""Operator support (F25): find an account, see its registration, reset it so the resident
can register again, resend a pending confirmation. Every view and action is audited with
the operator's name (SECURITY.md: operator actions and views of personal data)."""

from __future__ import annotations

import datetime as dt

import attrs

from lk_core.access.audit import AuditEvent, AuditKind
from lk_core.access.context import AccessContext
from lk_core.access.links import AccountLink
from lk_core.access.one_time_secrets import SecretPurpose, issue_link_token
from lk_core.access.ports import AccessUnitOfWork
from lk_core.access.registration import ConfirmationMethod, Consent
from lk_core.accounts.account import AccountNumber
from lk_core.kernel.errors import InvalidValue
from lk_core.kernel.runtime import Clock
from lk_core.kernel.transaction import UnitOfWorkFactory
from lk_core.messaging.notices import masked_email, registration_link
from lk_core.messaging.outbox import queue_email
from lk_core.operator.directory import (
    AccountFound,
    AccountQuery,
    Audience,
    AudienceMember,
    RegistrationSummary,
)
from lk_core.operator.errors import AccountNotFound, NothingToResend, NotRegistered
from lk_core.operator.operators import Operator
from lk_core.operator.ports import OperatorUnitOfWork

RECENT_EVENTS = 20


def operator_audit(
    uow: AccessUnitOfWork,
    kind: AuditKind,
    now: dt.datetime,
    operator: Operator,
    account_key: str | None,
    **details: str,
) -> None:
    uow.audit.record(AuditEvent(now, kind, account_key, "", operator.actor, tuple(details.items())))


def find_accounts(
    uow_factory: UnitOfWorkFactory[OperatorUnitOfWork],
    clock: Clock,
    operator: Operator,
    typed: str,
    limit: int,
) -> list[AccountFound]:
    """Accounts by the start of the number, part of an e-mail, surname or address."""
    query = AccountQuery.parse(typed)
    now = clock.now()
    with uow_factory() as uow:
        found = uow.directory.find(query, limit)
        for item in found:
            operator_audit(uow, AuditKind.OPERATOR_VIEW, now, operator, item.account.key,
                           command="accounts find")  # fmt: skip
        uow.commit()
    return found


@attrs.frozen
class AccountCard:
    """Everything `lk accounts show` prints; holds no password hash, token or code."""

    found: AccountFound
    member: AudienceMember
    links: tuple[AccountLink, ...]
    events: tuple[AuditEvent, ...]
    consents: tuple[Consent, ...]


def account_card(
    uow_factory: UnitOfWorkFactory[OperatorUnitOfWork],
    clock: Clock,
    operator: Operator,
    number: str,
) -> AccountCard:
    key = AccountNumber.parse(number).key
    now = clock.now()
    with uow_factory() as uow:
        account = uow.accounts.get(key)
        page = uow.directory.audience(Audience(account_keys=frozenset({key})), "", 1)
        if account is None or not page.members:
            raise AccountNotFound(number)
        house = uow.houses.get(account.house_code)
        registration = uow.registrations.get(key)
        summary = RegistrationSummary.of(registration) if registration is not None else None
        found = AccountFound(account, house.address if house else "", summary)
        links = uow.linked_accounts.of_registration(key) if registration is not None else []
        events = uow.audit.of_account(key, RECENT_EVENTS)
        consents = uow.consents.of_account(key)
        operator_audit(uow, AuditKind.OPERATOR_VIEW, now, operator, key, command="accounts show")
        uow.commit()
    return AccountCard(found, page.members[0], tuple(links), tuple(events), tuple(consents))


@attrs.frozen
class RegistrationReset:
    """What a reset removed: the registration's e-mail (masked), sessions and secrets."""

    email_masked: str
    sessions_ended: int
    secrets_voided: int
    links_removed: int


def reset_registration(
    uow_factory: UnitOfWorkFactory[OperatorUnitOfWork],
    clock: Clock,
    operator: Operator,
    number: str,
    reason: str,
) -> RegistrationReset:
    """Remove an account's registration so its resident can register again (the guide's
    «обратиться к оператору в офис» when the e-mail changed): its sessions end, its links
    go, and no link or code issued before can be used any more."""
    key = AccountNumber.parse(number).key
    why = " ".join(reason.split())
    if not why:
        raise InvalidValue("reason", reason, "Укажите причину сброса регистрации (--reason)")
    now = clock.now()
    with uow_factory() as uow:
        if uow.accounts.get(key) is None:
            raise AccountNotFound(number)
        registration = uow.registrations.get(key)
        if registration is None:
            raise NotRegistered(number)
        links = len(uow.linked_accounts.of_registration(key))
        uow.registrations.delete(key)
        ended = uow.sessions.delete_of_registration(key, None)
        voided = uow.directory.void_secrets(key)
        operator_audit(uow, AuditKind.OPERATOR_ACTION, now, operator, key,
                       action="registration_reset", reason=why[:500],
                       sessions_ended=str(ended), secrets_voided=str(voided),
                       links_removed=str(links))  # fmt: skip
        uow.commit()
    return RegistrationReset(masked_email(registration.email.address), ended, voided, links)


def resend_confirmation(ctx: AccessContext, operator: Operator, number: str) -> str:
    """Send a pending e-mail registration a fresh confirmation link (the earlier one stops
    working); return the masked address it went to. An SMS code is asked for by the
    resident on the registration page, so there is nothing for an operator to send."""
    key = AccountNumber.parse(number).key
    now = ctx.clock.now()
    with ctx.uow_factory() as uow:
        account = uow.accounts.get(key)
        if account is None:
            raise AccountNotFound(number)
        registration = uow.registrations.get(key)
        if registration is None:
            raise NotRegistered(number)
        if registration.is_confirmed:
            raise NothingToResend(number, "регистрация уже подтверждена")
        if registration.method is ConfirmationMethod.SMS:
            raise NothingToResend(
                number,
                "регистрация подтверждается кодом из смс: житель запрашивает код сам "
                "на странице регистрации («Отправить смс»)",
            )
        earlier = uow.secrets.latest(key, SecretPurpose.REGISTRATION)
        if earlier is not None and earlier.used_at is None:
            uow.secrets.void(earlier.secret_hash)
        lifetime = ctx.policies.registration.email_link_lifetime
        raw, secret = issue_link_token(
            SecretPurpose.REGISTRATION, key, now=now, lifetime=lifetime, pepper=ctx.pepper
        )
        uow.secrets.add(secret)
        uow.outbox.add(
            queue_email(
                registration_link(
                    registration.email.address, ctx.company_name, str(account.number),
                    ctx.links.confirm_registration(raw), lifetime,
                ),
                now,
            )
        )  # fmt: skip
        operator_audit(uow, AuditKind.OPERATOR_ACTION, now, operator, key,
                       action="confirmation_resent", method="email")  # fmt: skip
        uow.commit()
    return masked_email(registration.email.address)
