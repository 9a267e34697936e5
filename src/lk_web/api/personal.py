"""Personal data (F18), additional services with their consents (F10), password change and
e-mail change (F19), by the personal-data page's and main page's own use cases."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

import attrs
import msgspec
from litestar import Controller, Response, get, post, put
from litestar.concurrency import sync_to_thread
from litestar.params import JSONBody

from lk_core.access.email_change import request_email_change
from lk_core.access.password_change import PasswordChange, change_password
from lk_core.accounts.account import ReceiptDelivery
from lk_core.personal_data.account_details import personal_data
from lk_core.personal_data.additional_services import (
    AdditionalServicesForm,
    update_additional_services,
)
from lk_web.api.auth import Holder, Owned
from lk_web.api.etag import json_read
from lk_web.api.idempotent import IDEMPOTENT_REFUSALS, IdempotencyKey, resident_once
from lk_web.api.openapi import BEARER
from lk_web.api.problems import problem_responses
from lk_web.api.tokens import Secret
from lk_web.client import AnyRequest
from lk_web.dependencies import Portal

Contact = Annotated[str, msgspec.Meta(max_length=254)]


class PersonalDataOut(msgspec.Struct, frozen=True):
    """Данные лицевого счёта, как их ведёт биллинг, и e-mail для входа."""

    account: str
    number: str
    payer_name: str
    address: str
    flat: str
    rooms: int
    area: str
    residents: int
    phone: str | None
    email: str | None
    sign_in_email: str
    pending_email: str | None


class ServicesOut(msgspec.Struct, frozen=True):
    """Дополнительные услуги: смс- и e-mail-информирование, электронная квитанция."""

    sms_informing: bool
    phone: str
    email_informing: bool
    email: str
    delivery: Literal["paper", "email"]
    consent_version: str


class ServicesIn(msgspec.Struct, frozen=True):
    """Выбор дополнительных услуг; каждое данное или отозванное согласие записывается."""

    sms_informing: bool
    phone: Contact
    email_informing: bool
    email: Contact
    delivery: Literal["paper", "email"]


class PasswordIn(msgspec.Struct, frozen=True):
    """Текущий пароль и новый дважды."""

    current_password: Secret
    password: Secret
    confirmation: Secret


class AccessRenewed(msgspec.Struct, frozen=True):
    """Пароль изменён: прежний токен доступа заменён этим; другие устройства отключены."""

    access_token: str
    access_expires_at: dt.datetime


class EmailIn(msgspec.Struct, frozen=True):
    """Новый e-mail для входа и текущий пароль."""

    email: Contact
    current_password: Secret


class EmailRequested(msgspec.Struct, frozen=True):
    """Письмо со ссылкой подтверждения отправлено на новый адрес."""

    email: str
    detail: str


def services_out(form: AdditionalServicesForm, consent_version: str) -> ServicesOut:
    delivery: Literal["paper", "email"] = (
        "email" if form.delivery is ReceiptDelivery.EMAIL else "paper"
    )
    return ServicesOut(
        form.sms_informing, form.phone, form.email_informing, form.email, delivery,
        consent_version,
    )  # fmt: skip


class PersonalController(Controller):
    path = "/accounts/{account:str}"
    tags = ["personal"]  # noqa: RUF012 - Litestar reads it as the class attribute

    @get(
        "/personal-data", summary="Личные данные", security=BEARER,
        responses=problem_responses(401, 404), sync_to_thread=True,
    )  # fmt: skip
    def personal(
        self, request: AnyRequest, portal: Portal, holder: Holder, owned: Owned
    ) -> Response[PersonalDataOut]:
        """Данные счёта из биллинга (только для чтения) и e-mail для входа."""
        key = owned.key
        data = personal_data(portal.personal_data, attrs.evolve(holder.session, account_key=key))
        shown = data.account
        out = PersonalDataOut(
            shown.key, str(shown.number), shown.payer_name,
            data.house.address if data.house else "", shown.flat, shown.rooms,
            format(shown.area, "f"), shown.residents,
            str(shown.phone) if shown.phone else None, str(shown.email) if shown.email else None,
            data.sign_in_email, data.pending_email,
        )  # fmt: skip
        return json_read(request, out)

    @get(
        "/services", summary="Дополнительные услуги", security=BEARER,
        responses=problem_responses(401, 404),
    )  # fmt: skip
    async def services(
        self, request: AnyRequest, portal: Portal, owned: Owned
    ) -> Response[ServicesOut]:
        """Выбор, как на главной странице, и версия документа о согласии."""
        form = AdditionalServicesForm.of_account(owned)
        return json_read(request, services_out(form, portal.access.consent_version))

    @put(
        "/services", summary="Изменить дополнительные услуги", security=BEARER,
        responses=problem_responses(401, 404, 422),
    )  # fmt: skip
    async def update_services(
        self,
        request: AnyRequest,
        portal: Portal,
        owned: Owned,
        data: JSONBody[ServicesIn],
    ) -> ServicesOut:
        """Неверное значение поля — 400 с его названием; ничего не меняется."""
        key = owned.key
        delivery = ReceiptDelivery.EMAIL if data.delivery == "email" else ReceiptDelivery.PAPER
        form = AdditionalServicesForm(
            data.sms_informing, data.phone, data.email_informing, data.email, delivery
        )
        await sync_to_thread(
            update_additional_services, portal.access, key, form,
            ip=portal.client.ip(request), user_agent=portal.client.user_agent(request),
        )  # fmt: skip
        return services_out(form, portal.access.consent_version)


class AccountSecurityController(Controller):
    path = "/me"
    tags = ["personal"]  # noqa: RUF012 - Litestar reads it as the class attribute

    @post(
        "/password", summary="Изменить пароль", security=BEARER, status_code=200,
        responses=problem_responses(401, 422, 429),
    )  # fmt: skip
    async def change_password(
        self, request: AnyRequest, portal: Portal, holder: Holder, data: JSONBody[PasswordIn]
    ) -> AccessRenewed:
        """Все другие устройства и сеансы завершаются; это устройство получает новый токен
        доступа (токен обновления прежний). `Idempotency-Key` здесь не принимается: ответ
        несёт токен доступа, а прежний токен, с которым пришёл бы повтор, уже не действует."""
        form = PasswordChange(data.current_password, data.password, data.confirmation)
        raw = await sync_to_thread(
            change_password, portal.access, holder.session, form, ip=portal.client.ip(request)
        )
        expires_at = holder.session.expires_at or portal.access.clock.now()
        return AccessRenewed(raw, expires_at)

    @post(
        "/email", summary="Изменить e-mail для входа", security=BEARER, status_code=202,
        responses=problem_responses(401, 429, *IDEMPOTENT_REFUSALS),
    )  # fmt: skip
    async def change_email(
        self,
        request: AnyRequest,
        portal: Portal,
        holder: Holder,
        data: JSONBody[EmailIn],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[EmailRequested]:
        """На новый адрес уходит ссылка подтверждения (она открывает сайт); повтор с тем же
        `Idempotency-Key` второго письма не отправляет."""

        def run() -> Response[EmailRequested]:
            requested = request_email_change(
                portal.access, holder.session, data.email, data.current_password,
                ip=portal.client.ip(request),
            )  # fmt: skip
            detail = "Письмо со ссылкой подтверждения отправлено на новый адрес"
            return Response(EmailRequested(requested.new_email, detail), status_code=202)

        # The request is told apart by the address alone: a fast hash of a body holding
        # the password would let a copy of the table guess it (passwords: argon2 only).
        said = msgspec.json.encode({"email": data.email})
        return await resident_once(request, portal, holder, run, body=said)
