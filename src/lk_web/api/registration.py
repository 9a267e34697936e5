"""First visit, registration confirmed by SMS code, and the forgotten password (request
only) through the API (F2–F6), on the registration pages' own use cases and throttles.

A first visit answers a registration token: the id of the pending registration's session,
as the browser keeps it in a cookie. Each next step carries it. Completing the
registration signs the device in, as signing in does. E-mailed links keep opening the
web pages.
"""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec
from litestar import Controller, post
from litestar.concurrency import sync_to_thread
from litestar.params import JSONBody

from lk_core.access.app_devices import DEVICE_NAME_LENGTH
from lk_core.access.app_tokens import device_of_session
from lk_core.access.first_visit import RegistrationForm, first_visit, submit_registration
from lk_core.access.password_reset import request_password_reset
from lk_core.access.registration import ConfirmationMethod
from lk_core.access.sms_confirmation import (
    check_sms_code,
    complete_sms_registration,
    send_sms_code,
)
from lk_core.access.visitor import account_being_registered
from lk_web.api.openapi import PUBLIC
from lk_web.api.problems import problem_responses
from lk_web.api.tokens import Secret, Tokens, tokens_of
from lk_web.client import AnyRequest
from lk_web.dependencies import Portal

Text = Annotated[str, msgspec.Meta(max_length=254)]


class FirstVisit(msgspec.Struct, frozen=True):
    """Номер лицевого счёта и фамилия, на которую он зарегистрирован (как в квитанции)."""

    account: Annotated[str, msgspec.Meta(max_length=40, examples=["100234"])]
    surname: Annotated[str, msgspec.Meta(max_length=100)]


class RegistrationStarted(msgspec.Struct, frozen=True):
    """Счёт найден: `registration_token` передаётся в следующих шагах регистрации."""

    registration_token: str
    account: str


class RegistrationIn(msgspec.Struct, frozen=True):
    """Форма регистрации; `method` — как подтвердить: смс-кодом или ссылкой из письма."""

    registration_token: Secret
    surname: Annotated[str, msgspec.Meta(max_length=100)]
    email: Text
    password: Secret
    confirmation: Secret
    consent: bool
    method: Literal["sms", "email"] = "sms"


class RegistrationSubmitted(msgspec.Struct, frozen=True):
    """Регистрация ждёт подтверждения: смс-кодом или по ссылке из письма на `email`."""

    method: str
    email: str


class PhoneIn(msgspec.Struct, frozen=True):
    """Телефон, на который отправить код."""

    registration_token: Secret
    phone: Annotated[str, msgspec.Meta(max_length=40, examples=["+7 912 345-67-89"])]


class CodeIn(msgspec.Struct, frozen=True):
    """Код из смс."""

    registration_token: Secret
    code: Annotated[str, msgspec.Meta(max_length=12)]


class CompleteIn(msgspec.Struct, frozen=True):
    """Завершить регистрацию и войти с этого устройства."""

    registration_token: Secret
    device_name: Annotated[str, msgspec.Meta(max_length=DEVICE_NAME_LENGTH)]


class ResetIn(msgspec.Struct, frozen=True):
    """Номер лицевого счёта и e-mail, указанный при регистрации."""

    account: Annotated[str, msgspec.Meta(max_length=40)]
    email: Text


class Accepted(msgspec.Struct, frozen=True):
    """Запрос принят; `detail` — что будет дальше."""

    detail: str


class RegistrationController(Controller):
    path = "/registration"
    tags = ["access"]  # noqa: RUF012 - Litestar reads it as the class attribute

    @post(
        "/first-visit", summary="Первый вход: найти счёт по номеру и фамилии",
        security=PUBLIC, status_code=201, responses=problem_responses(422, 429),
    )  # fmt: skip
    async def first_visit(
        self, request: AnyRequest, portal: Portal, data: JSONBody[FirstVisit]
    ) -> RegistrationStarted:
        """Те же проверки и ограничения числа попыток, что у первого входа на сайте."""
        raw = await sync_to_thread(
            first_visit, portal.access, data.account, data.surname,
            ip=portal.client.ip(request), current_session=None,
        )  # fmt: skip
        account = await sync_to_thread(account_being_registered, portal.access, raw)
        return RegistrationStarted(raw, account.key)

    @post(
        "/", summary="Заполнить форму регистрации", security=PUBLIC, status_code=201,
        responses=problem_responses(422, 429),
    )  # fmt: skip
    async def submit(
        self, request: AnyRequest, portal: Portal, data: JSONBody[RegistrationIn]
    ) -> RegistrationSubmitted:
        """Сохраняет регистрацию с согласием; при `method` = `email` отправляет письмо со
        ссылкой (она открывает сайт), при `sms` — дальше код из смс."""
        method = ConfirmationMethod.SMS if data.method == "sms" else ConfirmationMethod.EMAIL
        form = RegistrationForm(
            data.surname, data.email, data.password, data.confirmation, data.consent, method
        )
        started = await sync_to_thread(
            submit_registration, portal.access, data.registration_token, form,
            ip=portal.client.ip(request), user_agent=portal.client.user_agent(request),
        )  # fmt: skip
        return RegistrationSubmitted(started.method.value, str(started.email))

    @post(
        "/sms/send", summary="Отправить код в смс", security=PUBLIC, status_code=202,
        responses=problem_responses(422, 429),
    )  # fmt: skip
    async def send_code(
        self, request: AnyRequest, portal: Portal, data: JSONBody[PhoneIn]
    ) -> Accepted:
        """Код уходит на телефон; отправки ограничены, как на сайте."""
        await sync_to_thread(
            send_sms_code, portal.access, data.registration_token, data.phone,
            ip=portal.client.ip(request),
        )  # fmt: skip
        return Accepted("Код отправлен в смс")

    @post(
        "/sms/check", summary="Проверить код из смс", security=PUBLIC, status_code=200,
        responses=problem_responses(422, 429),
    )  # fmt: skip
    async def check_code(
        self, request: AnyRequest, portal: Portal, data: JSONBody[CodeIn]
    ) -> Accepted:
        """Верный код подтверждает телефон."""
        await sync_to_thread(
            check_sms_code, portal.access, data.registration_token, data.code,
            ip=portal.client.ip(request),
        )  # fmt: skip
        return Accepted("Телефон подтверждён")

    @post(
        "/sms/complete", summary="Завершить регистрацию и войти", security=PUBLIC,
        status_code=201, responses=problem_responses(401, 422, 429),
    )  # fmt: skip
    async def complete(
        self, request: AnyRequest, portal: Portal, data: JSONBody[CompleteIn]
    ) -> Tokens:
        """Регистрация завершена; устройство получает токены, как при входе."""
        raw = await sync_to_thread(
            complete_sms_registration, portal.access, data.registration_token,
            ip=portal.client.ip(request),
        )  # fmt: skip
        issued = await sync_to_thread(device_of_session, portal.access, raw, data.device_name)
        return tokens_of(issued, portal.access.clock.now())


class PasswordResetController(Controller):
    path = "/password-resets"
    tags = ["access"]  # noqa: RUF012 - Litestar reads it as the class attribute

    @post(
        "/", summary="Забыли пароль: отправить ссылку", security=PUBLIC, status_code=202,
        responses=problem_responses(429),
    )  # fmt: skip
    async def request_reset(
        self, request: AnyRequest, portal: Portal, data: JSONBody[ResetIn]
    ) -> Accepted:
        """Ответ один и тот же, есть такая пара или нет; ссылка из письма открывает сайт."""
        await sync_to_thread(
            request_password_reset, portal.access, data.account, data.email,
            ip=portal.client.ip(request),
        )  # fmt: skip
        return Accepted(
            "Если номер счёта и e-mail совпадают с указанными при регистрации, "
            "на этот адрес отправлена ссылка для смены пароля"
        )
