"""What the portal tells residents by e-mail and SMS. Never a password; links expire."""

from __future__ import annotations

import datetime as dt

from lk_core.messaging.messages import EmailMessage, SmsMessage


def _hours(delta: dt.timedelta) -> str:
    hours = int(delta.total_seconds() // 3600)
    if hours >= 1:
        word = (
            "час"
            if hours % 10 == 1 and hours % 100 != 11
            else (
                "часа" if hours % 10 in (2, 3, 4) and hours % 100 not in (12, 13, 14) else "часов"
            )
        )
        return f"{hours} {word}"
    return f"{int(delta.total_seconds() // 60)} мин."


def registration_link(
    to: str, company: str, account: str, link: str, lifetime: dt.timedelta
) -> EmailMessage:
    text = (
        "Здравствуйте!\n\n"
        f"Вы регистрируетесь в личном кабинете {company} для лицевого счёта {account}.\n"
        f"Чтобы завершить регистрацию, перейдите по ссылке (действует {_hours(lifetime)}):\n\n"
        f"{link}\n\n"
        "Если вы не регистрировались, просто удалите это письмо.\n"
    )
    return EmailMessage(to=to, subject="Подтверждение регистрации в личном кабинете", text=text)


def password_reset_link(
    to: str, company: str, account: str, link: str, lifetime: dt.timedelta
) -> EmailMessage:
    text = (
        "Здравствуйте!\n\n"
        f"Для лицевого счёта {account} в личном кабинете {company} запрошено восстановление "
        f"пароля. Чтобы задать новый пароль, перейдите по ссылке (действует {_hours(lifetime)}, "
        f"один раз):\n\n{link}\n\n"
        "Если вы не запрашивали восстановление, ничего не делайте: пароль останется прежним.\n"
    )
    return EmailMessage(to=to, subject="Восстановление пароля в личном кабинете", text=text)


def password_changed(to: str, company: str, account: str, at_local: str) -> EmailMessage:
    text = (
        "Здравствуйте!\n\n"
        f"Пароль личного кабинета {company} для лицевого счёта {account} изменён {at_local}.\n"
        "Если это сделали не вы, восстановите пароль по ссылке «Забыли пароль?» и "
        "обратитесь в управляющую компанию.\n"
    )
    return EmailMessage(to=to, subject="Пароль личного кабинета изменён", text=text)


def sms_code(to: str, code: str, company: str) -> SmsMessage:
    return SmsMessage(to=to, text=f"Код подтверждения: {code}. Никому его не сообщайте. {company}")


def masked_email(address: str) -> str:
    """`n***@m***.ru`: enough for the owner to recognise an address, little for anyone else."""
    local, _, domain = address.rpartition("@")
    name, dot, zone = domain.rpartition(".")
    shown_domain = f"{name[:1]}***{dot}{zone}" if name else f"{zone[:1]}***"
    return f"{local[:1]}***@{shown_domain}"


def email_change_link(
    to: str, company: str, account: str, link: str, lifetime: dt.timedelta
) -> EmailMessage:
    text = (
        "Здравствуйте!\n\n"
        f"В личном кабинете {company} для лицевого счёта {account} этот адрес указан как "
        "новый адрес электронной почты. Чтобы подтвердить его, перейдите по ссылке "
        f"(действует {_hours(lifetime)}, один раз):\n\n{link}\n\n"
        "Пока вы не перейдёте по ссылке, письма будут приходить на прежний адрес. "
        "Если вы ничего не меняли, просто удалите это письмо.\n"
    )
    return EmailMessage(to=to, subject="Подтверждение нового адреса электронной почты", text=text)


def email_changed(
    to: str, company: str, account: str, new_masked: str, at_local: str
) -> EmailMessage:
    text = (
        "Здравствуйте!\n\n"
        f"Адрес электронной почты личного кабинета {company} для лицевого счёта {account} "
        f"изменён {at_local}: адрес изменён на {new_masked}. Письма теперь приходят туда.\n"
        "Если это сделали не вы, обратитесь в управляющую компанию.\n"
    )
    return EmailMessage(to=to, subject="Адрес электронной почты изменён", text=text)


def link_request(
    to: str, company: str, account: str, by_account: str, approve: str, refuse: str, until: str
) -> EmailMessage:
    text = (
        "Здравствуйте!\n\n"
        f"В личном кабинете {company} владелец лицевого счёта {by_account} просит привязать "
        f"ваш лицевой счёт {account}: ему станут видны начисления, ваши фамилия, имя, "
        "адрес, телефон и электронная почта.\n\n"
        f"Разрешить привязку:\n{approve}\n\nОтказать:\n{refuse}\n\n"
        f"Ссылки действуют до {until}, сработает только одна из них. Если вы не ответите, "
        "запрос истечёт и счёт не будет привязан.\n"
    )
    return EmailMessage(to=to, subject="Запрос на привязку вашего лицевого счёта", text=text)


def account_linked(to: str, company: str, account: str, by_account: str) -> EmailMessage:
    text = (
        "Здравствуйте!\n\n"
        f"Лицевой счёт {account} привязан к личному кабинету {company} лицевого счёта "
        f"{by_account}: оттуда теперь видны его начисления и данные.\n"
        "Если вы об этом не знаете, обратитесь в управляющую компанию.\n"
    )
    return EmailMessage(to=to, subject="Ваш лицевой счёт привязан к другому кабинету", text=text)
