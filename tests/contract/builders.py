"""Valid domain objects for the contract tests, with only what a test cares about given."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from lk_core.access.audit import AuditEvent, AuditKind
from lk_core.access.one_time_secrets import OneTimeSecret, SecretPurpose
from lk_core.access.registration import (
    ConfirmationMethod,
    Consent,
    ConsentKind,
    Registration,
    RegistrationStatus,
)
from lk_core.access.sessions import Session
from lk_core.accounts.account import Account, AccountNumber, House
from lk_core.accounts.contacts import Email, Phone
from lk_core.kernel.money import Money
from lk_core.kernel.periods import Period
from lk_core.ledger.lines import LedgerRow
from lk_core.ledger.services import Service
from lk_core.messaging.messages import Attachment, EmailMessage, SmsMessage
from lk_core.messaging.outbox import OutboxMessage
from lk_core.payments.payment import Payment, PaymentChannel
from lk_core.readings.meters import DigitCapacity, Meter, MeterKind, TariffZone
from lk_core.readings.reading import EntryStatus, Reading, ReadingSource
from lk_core.unit_of_work import UnitOfWorkFactory

MOSCOW = dt.timezone(dt.timedelta(hours=3), "MSK")
NOON = dt.datetime(2026, 10, 15, 12, 0, tzinfo=dt.UTC)
OCTOBER = Period(2026, 10)


def at(minutes: int) -> dt.datetime:
    """A moment `minutes` after noon of 15 October 2026, UTC."""
    return NOON + dt.timedelta(minutes=minutes)


def a_house(code: str = "H1", **changes: Any) -> House:
    fields: dict[str, Any] = {"address": "г. Тверь, ул. Советская, д. 1", "total_area": "4210.55"}
    fields |= changes
    return House(code, fields["address"], Decimal(fields["total_area"]))


def a_service(code: str = "HW", **changes: Any) -> Service:
    fields: dict[str, Any] = {"name": "Горячая вода", "unit": "м³", "provider": "ООО «Тепло»"}
    return Service(code, **(fields | changes))


def an_account(key: str = "100234", **changes: Any) -> Account:
    fields: dict[str, Any] = {
        "letter": "",
        "house_code": "H1",
        "payer_name": "Иванов Иван Иванович",
        "flat": "12",
        "rooms": 2,
        "area": Decimal("54.3"),
        "residents": 3,
        "phone": None,
        "email": None,
    }
    fields |= changes
    letter = fields.pop("letter")
    for contact, kind in (("phone", Phone), ("email", Email)):
        if isinstance(fields[contact], str):
            fields[contact] = kind.parse(fields[contact])
    return Account(number=AccountNumber(key, letter), **fields)


def a_ledger_row(
    account_key: str = "100234",
    period: Period = OCTOBER,
    service_code: str = "HW",
    *,
    opening: int = 10_000,
    charged: int = 52_345,
    recalculation: int = 0,
    paid: int = 10_000,
    volume: Decimal | None = Decimal("3.25"),
    tariff: Decimal | None = Decimal("161.06"),
    reason: str = "",
) -> LedgerRow:
    return (
        account_key,
        period.code,
        service_code,
        opening,
        charged,
        recalculation,
        paid,
        volume,
        tariff,
        reason,
    )


def a_payment(external_id: str = "P1", **changes: Any) -> Payment:
    fields: dict[str, Any] = {
        "account_key": "100234",
        "paid_on": dt.date(2026, 10, 5),
        "amount": Money(123_456),
        "channel": PaymentChannel.BILLING,
        "payer": "Иванов И. И.",
    }
    return Payment(external_id, **(fields | changes))


def a_meter(meter_id: str = "M1", **changes: Any) -> Meter:
    fields: dict[str, Any] = {
        "kind": MeterKind.INDIVIDUAL,
        "service_code": "HW",
        "serial": "SN-001",
        "capacity": DigitCapacity(5, 3),
        "zones": (TariffZone.SINGLE,),
        "account_key": "100234",
        "house_code": None,
        "installed_on": dt.date(2020, 3, 1),
        "next_verification_on": dt.date(2026, 3, 1),
    }
    return Meter(meter_id, **(fields | changes))


def a_common_meter(meter_id: str = "C1", **changes: Any) -> Meter:
    common: dict[str, Any] = {"kind": MeterKind.COMMON, "account_key": None, "house_code": "H1"}
    return a_meter(meter_id, **(common | changes))


def a_reading(reading_id: str = "R1", **changes: Any) -> Reading:
    fields: dict[str, Any] = {
        "meter_id": "M1",
        "zone": TariffZone.SINGLE,
        "period": OCTOBER,
        "value": Decimal("123.456"),
        "taken_at": NOON,
        "source": ReadingSource.PORTAL,
        "status": EntryStatus.ACCEPTED,
    }
    return Reading(reading_id, **(fields | changes))


def a_registration(account_key: str = "100234", **changes: Any) -> Registration:
    fields: dict[str, Any] = {
        "email": "Ivanov@Mail.ru",
        "password_hash": "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA",
        "method": ConfirmationMethod.EMAIL,
        "created_at": NOON,
        "status": RegistrationStatus.PENDING,
        "phone": None,
        "confirmed_at": None,
    }
    fields |= changes
    fields["email"] = Email.parse(fields["email"])
    if isinstance(fields["phone"], str):
        fields["phone"] = Phone.parse(fields["phone"])
    return Registration(account_key, **fields)


def a_secret(secret_hash: str = "a" * 64, **changes: Any) -> OneTimeSecret:
    fields: dict[str, Any] = {
        "purpose": SecretPurpose.REGISTRATION,
        "subject": "100234",
        "issued_at": NOON,
        "expires_at": NOON + dt.timedelta(hours=24),
        "attempts_left": 1,
        "payload": "",
        "used_at": None,
    }
    return OneTimeSecret(secret_hash=secret_hash, **(fields | changes))


def a_consent(account_key: str = "100234", **changes: Any) -> Consent:
    fields: dict[str, Any] = {
        "kind": ConsentKind.PERSONAL_DATA,
        "text_version": "2025-09",
        "given": True,
        "at": NOON,
        "ip": "203.0.113.7",
        "user_agent": "Mozilla/5.0",
        "address": "",
    }
    return Consent(account_key, **(fields | changes))


def a_session(id_hash: str = "s1", **changes: Any) -> Session:
    fields: dict[str, Any] = {
        "created_at": NOON,
        "last_seen_at": NOON,
        "registration_key": None,
        "account_key": None,
        "pending_account_key": None,
    }
    return Session(id_hash, **(fields | changes))


def an_audit_event(kind: AuditKind = AuditKind.SIGN_IN, **changes: Any) -> AuditEvent:
    fields: dict[str, Any] = {
        "at": NOON,
        "account_key": "100234",
        "ip": "203.0.113.7",
        "actor": "resident",
        "details": (),
    }
    return AuditEvent(kind=kind, **(fields | changes))


def an_email(**changes: Any) -> EmailMessage:
    fields: dict[str, Any] = {
        "to": "ivanov@mail.ru",
        "subject": "Квитанция за октябрь",
        "text": "Квитанция во вложении.",
        "html": "",
        "attachments": (),
    }
    return EmailMessage(**(fields | changes))


def a_queued_email(message_id: str = "m1", **changes: Any) -> OutboxMessage:
    fields: dict[str, Any] = {"created_at": NOON, "email": an_email()}
    return OutboxMessage(message_id, **(fields | changes))


def a_queued_sms(message_id: str = "m1", **changes: Any) -> OutboxMessage:
    fields: dict[str, Any] = {
        "created_at": NOON,
        "sms": SmsMessage("+79161234567", "Код подтверждения: 123456"),
    }
    return OutboxMessage(message_id, **(fields | changes))


def a_pdf(filename: str = "receipt.pdf", content: bytes = b"%PDF-1.7\x00\xff\r\n") -> Attachment:
    return Attachment(filename, "application/pdf", content)


def given(
    uow_factory: UnitOfWorkFactory,
    *,
    houses: Sequence[House] = (),
    services: Sequence[Service] = (),
    accounts: Sequence[Account] = (),
    meters: Sequence[Meter] = (),
) -> None:
    """Store what other records refer to, committed, in the order foreign keys need."""
    with uow_factory() as uow:
        uow.houses.upsert_many(houses)
        uow.services.upsert_many(services)
        uow.accounts.upsert_from_billing(accounts)
        uow.meters.upsert_many(meters)
        uow.commit()
