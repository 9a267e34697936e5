"""Telling the resident of a status change or a dispatcher's comment, by the channels
they opted into on the additional services panel (F10), through the outbox."""

from __future__ import annotations

import datetime as dt

from lk_core.accounts.account import Account
from lk_core.messaging.messages import EmailMessage, SmsMessage
from lk_core.messaging.outbox import queue_email, queue_sms
from lk_core.messaging.ports import OutboxRepository
from lk_core.requests.numbers import request_number
from lk_core.requests.request import ServiceRequest

_SMS_TEXT_LIMIT = 120


def notify_resident(
    outbox: OutboxRepository,
    account: Account | None,
    request: ServiceRequest,
    news: str,
    *,
    company: str,
    event_key: str,
    at: dt.datetime,
) -> None:
    """Queue `news` about the request for each channel the account opted into; `event_key`
    names the event, so queueing it twice sends it once."""
    if account is None:
        return
    number = request_number(request)
    if account.email_informing and account.email is not None:
        text = (
            "Здравствуйте!\n\n"
            f"{news}\n\n"
            f"Заявка №{number}, статус: {request.status.label_ru}.\n"
            "Подробности и переписка — в личном кабинете, раздел «Заявки».\n\n"
            f"{company}\n"
        )
        message = EmailMessage(account.email.address, f"Заявка №{number}: {news[:60]}", text)
        outbox.add(queue_email(message, at, f"request:{event_key}:email"))
    if account.sms_informing and account.phone is not None and account.phone.is_mobile:
        short = news if len(news) <= _SMS_TEXT_LIMIT else news[: _SMS_TEXT_LIMIT - 1] + "…"
        sms = SmsMessage(account.phone.e164, f"Заявка №{number}: {short}")
        outbox.add(queue_sms(sms, at, f"request:{event_key}:sms"))
