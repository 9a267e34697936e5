"""Accounts as operators read them: JSON for scripts and texts for the tables.

Built field by field from the core's read models, so nothing reaches the screen or a
script by accident: never a password hash, a token or a code.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from lk_core.access.audit import AuditEvent
from lk_core.access.registration import Consent
from lk_core.operator.directory import AccountFound, RegistrationSummary
from lk_core.operator.support import AccountCard

METHOD_NAMES = {"email": "по e-mail", "sms": "по смс"}
# By value, so that an event kind added later still shows (as its code).
EVENT_NAMES = {
    "sign_in": "вход",
    "sign_in_failed": "неудачный вход",
    "sign_in_throttled": "вход приостановлен: много попыток",
    "sign_out": "выход",
    "first_visit_failed": "неудачный первый вход",
    "registration_started": "начата регистрация",
    "registration_confirmed": "регистрация подтверждена",
    "sms_code_sent": "отправлен код по смс",
    "sms_code_failed": "неверный код из смс",
    "password_reset_requested": "запрошено восстановление пароля",
    "password_reset": "пароль восстановлен",
    "password_changed": "пароль изменён",
    "email_changed": "e-mail изменён",
    "account_linked": "привязан счёт",
    "account_unlinked": "отвязан счёт",
    "consent_given": "согласие дано",
    "consent_withdrawn": "согласие отозвано",
    "operator_action": "действие оператора",
    "operator_view": "просмотр оператором",
}
CONSENT_NAMES = {
    "personal_data": "обработка персональных данных",
    "sms_informing": "смс-информирование",
    "email_informing": "информирование по e-mail",
    "email_receipt": "счёт по e-mail",
}


def named(names: dict[str, str], code: str) -> str:
    return names.get(code, code)


def iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def local(moment: dt.datetime | None, tz: zoneinfo.ZoneInfo) -> str:
    return moment.astimezone(tz).strftime("%d.%m.%Y %H:%M") if moment is not None else "—"


def registration_json(registration: RegistrationSummary | None) -> dict[str, Any] | None:
    if registration is None:
        return None
    return {
        "email": registration.email.address,
        "phone": registration.phone.e164 if registration.phone is not None else None,
        "method": registration.method.value,
        "confirmed": registration.is_confirmed,
        "created_at": iso(registration.created_at),
        "confirmed_at": iso(registration.confirmed_at),
    }


def registration_text(registration: RegistrationSummary | None, tz: zoneinfo.ZoneInfo) -> str:
    if registration is None:
        return "не зарегистрирован"
    if registration.is_confirmed:
        return f"подтверждена {local(registration.confirmed_at, tz)}"
    method = METHOD_NAMES[registration.method.value]
    return f"ждёт подтверждения {method} с {local(registration.created_at, tz)}"


def found_json(found: AccountFound) -> dict[str, Any]:
    account = found.account
    return {
        "number": str(account.number),
        "key": account.key,
        "payer_name": account.payer_name,
        "house_code": account.house_code,
        "address": found.address,
        "phone": account.phone.e164 if account.phone is not None else None,
        "email": account.email.address if account.email is not None else None,
        "registration": registration_json(found.registration),
    }


def event_json(event: AuditEvent) -> dict[str, Any]:
    return {
        "at": iso(event.at),
        "kind": event.kind.value,
        "actor": event.actor,
        "ip": event.ip,
        "details": dict(event.details),
    }


def consent_json(consent: Consent) -> dict[str, Any]:
    return {
        "kind": consent.kind.value,
        "given": consent.given,
        "at": iso(consent.at),
        "text_version": consent.text_version,
        "address": consent.address,
        "ip": consent.ip,
    }


def card_json(card: AccountCard) -> dict[str, Any]:
    account = card.found.account
    return found_json(card.found) | {
        "flat": account.flat,
        "debt": str(card.member.debt.to_decimal()),
        "receipt_delivery": account.delivery.value,
        "sms_informing": account.sms_informing,
        "email_informing": account.email_informing,
        "linked_accounts": [
            {"number": link.account_key, "linked_at": iso(link.linked_at)} for link in card.links
        ],
        "recent_events": [event_json(event) for event in card.events],
        "consents": [consent_json(consent) for consent in card.consents],
    }
