"""The mailer the settings ask for: demo mode sends nowhere, otherwise SMTP."""

from __future__ import annotations

from lk_adapters.email.smtp import SmtpMailer
from lk_adapters.settings import Settings, SettingsError
from lk_core.messaging.ports import Mailer


def configured_mailer(settings: Settings) -> Mailer:
    """`DemoMailer` in demo mode, else `SmtpMailer`; `SettingsError` if SMTP is not set up."""
    if settings.demo:
        from lk_adapters.demo.outbox import DemoMailer

        return DemoMailer()
    problems = []
    if not settings.mail.host:
        problems.append("LK_MAIL_HOST: не задан SMTP-сервер — письма отправлять некуда")
    if not settings.mail.sender:
        problems.append("LK_MAIL_SENDER: не задан адрес отправителя писем")
    if problems:
        raise SettingsError(problems)
    return SmtpMailer(settings.mail)
