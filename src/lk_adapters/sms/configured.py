"""The SMS sender the settings ask for: demo mode sends nowhere, otherwise SMS.ru."""

from __future__ import annotations

from lk_adapters.settings import Settings, SettingsError
from lk_adapters.sms.sms_ru import SmsRuSender
from lk_core.messaging.ports import SmsSender


def configured_sms_sender(settings: Settings) -> SmsSender:
    """`DemoSmsSender` in demo mode, else `SmsRuSender`; `SettingsError` without an api_id."""
    if settings.demo:
        from lk_adapters.demo.outbox import DemoSmsSender

        return DemoSmsSender()
    if not settings.sms.api_id:
        raise SettingsError(["LK_SMS_API_ID: не задан ключ SMS.ru — SMS отправлять некуда"])
    return SmsRuSender(settings.sms)
