"""The additional services panel (F10): informing by SMS and e-mail, and how the receipt comes.

Each optional channel needs the resident's consent (152-ФЗ): every opt-in and every
opt-out is its own consent record, with the consent text's version, the time, where the
request came from and the address the consent is for. Billing under the management
contract needs none, so withdrawing e-mail receipts returns the account to paper.
"""

from __future__ import annotations

import datetime as dt

import attrs

from lk_core.access.audit import AuditKind
from lk_core.access.context import AccessContext
from lk_core.access.guarding import audit
from lk_core.access.registration import Consent, ConsentKind
from lk_core.accounts.account import Account, ReceiptDelivery
from lk_core.accounts.contacts import Email, Phone
from lk_core.kernel.errors import NotFound
from lk_core.unit_of_work import UnitOfWork


@attrs.frozen
class AdditionalServicesForm:
    """What the resident chose on the panel; contacts as typed, "" for none."""

    sms_informing: bool
    phone: str
    email_informing: bool
    email: str
    delivery: ReceiptDelivery

    @classmethod
    def of_account(cls, account: Account) -> AdditionalServicesForm:
        """The panel as the account stands: its settings and the contacts on file."""
        return cls(
            sms_informing=account.sms_informing,
            phone=str(account.phone) if account.phone is not None else "",
            email_informing=account.email_informing,
            email=account.email.address if account.email is not None else "",
            delivery=account.delivery,
        )


@attrs.frozen
class _Choices:
    """The consent-bearing settings of an account at one moment."""

    phone: Phone | None
    email: Email | None
    sms_informing: bool
    email_informing: bool
    email_receipt: bool

    @classmethod
    def of(cls, account: Account) -> _Choices:
        return cls(
            account.phone,
            account.email,
            account.sms_informing,
            account.email_informing,
            account.delivery is ReceiptDelivery.EMAIL,
        )

    def channels(self) -> tuple[tuple[ConsentKind, bool, str], ...]:
        """Each consent kind: whether it is on, and the address it is for."""
        phone = self.phone.e164 if self.phone is not None else ""
        email = self.email.address if self.email is not None else ""
        return (
            (ConsentKind.SMS_INFORMING, self.sms_informing, phone),
            (ConsentKind.EMAIL_INFORMING, self.email_informing, email),
            (ConsentKind.EMAIL_RECEIPT, self.email_receipt, email),
        )


def update_additional_services(
    ctx: AccessContext,
    account_key: str,
    form: AdditionalServicesForm,
    *,
    ip: str,
    user_agent: str,
) -> None:
    """Store the panel's choices and contacts, with a consent record for each change.

    A contact field left empty removes the contact, unless a chosen service needs it. Any
    invalid value or unmet need raises `InvalidValue` for its field and changes nothing.
    """
    now = ctx.clock.now()
    with ctx.uow_factory() as uow:
        account = uow.accounts.get(account_key)
        if account is None:
            raise NotFound("account", account_key)
        before = _Choices.of(account)
        phone = Phone.parse(form.phone) if form.phone.strip() else None
        email = Email.parse(form.email) if form.email.strip() else None
        account.phone = phone
        account.email = email
        account.set_sms_informing(form.sms_informing)
        account.set_email_informing(form.email_informing)
        account.choose_delivery(form.delivery)
        after = _Choices.of(account)
        if after == before:
            return
        uow.accounts.save(account)
        _record_consents(ctx, uow, account_key, before, after, now, ip=ip, user_agent=user_agent)
        uow.commit()


def _record_consents(
    ctx: AccessContext,
    uow: UnitOfWork,
    account_key: str,
    before: _Choices,
    after: _Choices,
    now: dt.datetime,
    *,
    ip: str,
    user_agent: str,
) -> None:
    """A record for each consent given, given anew for a changed address, or withdrawn."""
    for (kind, was_on, old_address), (_, is_on, new_address) in zip(
        before.channels(), after.channels(), strict=True
    ):
        if is_on and (not was_on or new_address != old_address):
            given, address = True, new_address
        elif was_on and not is_on:
            given, address = False, old_address
        else:
            continue
        uow.consents.add(
            Consent(
                account_key, kind, ctx.consent_version, given, now,
                ip, user_agent[:500], address,
            )
        )  # fmt: skip
        audit(
            uow,
            AuditKind.CONSENT_GIVEN if given else AuditKind.CONSENT_WITHDRAWN,
            now,
            account_key=account_key,
            ip=ip,
            consent=kind.value,
            version=ctx.consent_version,
        )
