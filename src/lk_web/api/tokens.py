"""Signing in, refreshing, signing out and devices (ADR 0061), on the same use cases and
throttles as the web's sign-in."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec
from litestar import Controller, Response, delete, get, post
from litestar.concurrency import sync_to_thread
from litestar.params import JSONBody, PathParameter

from lk_core.access.app_devices import DEVICE_NAME_LENGTH
from lk_core.access.app_tokens import (
    IssuedTokens,
    devices_of,
    refresh_device,
    revoke_device,
    sign_in_device,
    sign_out_device,
)
from lk_web.api.auth import Holder
from lk_web.api.cursor import Cursor, CursorPage, Limit, page_of
from lk_web.api.etag import json_read
from lk_web.api.openapi import BEARER, PUBLIC
from lk_web.api.problems import problem_responses
from lk_web.client import AnyRequest
from lk_web.dependencies import Portal

Secret = Annotated[str, msgspec.Meta(max_length=200)]
DeviceId = Annotated[str, PathParameter(max_length=32, description="Устройство (`id`)")]


class SignIn(msgspec.Struct, frozen=True):
    """Номер лицевого счёта и пароль, как на странице входа, и название устройства."""

    account: Annotated[str, msgspec.Meta(max_length=40, examples=["100234"])]
    password: Secret
    device_name: Annotated[
        str, msgspec.Meta(max_length=DEVICE_NAME_LENGTH, examples=["Телефон Анны"])
    ]
    device_token: Secret | None = None


class Refresh(msgspec.Struct, frozen=True):
    """Токен обновления, выданный при входе или прошлом обновлении."""

    refresh_token: Secret


class Tokens(msgspec.Struct, frozen=True):
    """Пара токенов устройства: доступа (короткий) и обновления (одноразовый)."""

    access_token: str
    token_type: str
    expires_in: int
    access_expires_at: dt.datetime
    refresh_token: str
    refresh_expires_at: dt.datetime
    device_id: str
    device_token: str | None


class Device(msgspec.Struct, frozen=True):
    """Устройство, в котором выполнен вход через API."""

    id: str
    name: str
    signed_in_at: dt.datetime
    last_used_at: dt.datetime
    current: bool


def tokens_of(issued: IssuedTokens, now: dt.datetime) -> Tokens:
    return Tokens(
        access_token=issued.access_token,
        token_type="Bearer",  # noqa: S106
        expires_in=max(0, int((issued.access_expires_at - now).total_seconds())),
        access_expires_at=issued.access_expires_at,
        refresh_token=issued.refresh_token,
        refresh_expires_at=issued.refresh_expires_at,
        device_id=issued.device_id,
        device_token=issued.device_token or None,
    )


class TokensController(Controller):
    path = "/tokens"
    tags = ["access"]  # noqa: RUF012 - Litestar reads it as the class attribute

    @post(
        "/", summary="Войти: выдать токены устройству", security=PUBLIC,
        responses=problem_responses(401, 422, 429), status_code=201,
    )  # fmt: skip
    async def sign_in(self, request: AnyRequest, portal: Portal, data: JSONBody[SignIn]) -> Tokens:
        """Проверяет номер счёта и пароль так же, как страница входа (те же ограничения
        числа попыток и журнал), и выдаёт устройству токен доступа и токен обновления."""
        issued = await sync_to_thread(
            sign_in_device, portal.access, data.account, data.password, data.device_name,
            ip=portal.client.ip(request), device_token=data.device_token,
        )  # fmt: skip
        return tokens_of(issued, portal.access.clock.now())

    @post(
        "/refresh", summary="Обменять токен обновления на новую пару", security=PUBLIC,
        responses=problem_responses(401, 429), status_code=200,
    )  # fmt: skip
    async def refresh(self, request: AnyRequest, portal: Portal, data: JSONBody[Refresh]) -> Tokens:
        """Каждый токен обновления действует один раз. Повторное предъявление уже
        использованного токена отключает устройство целиком."""
        issued = await sync_to_thread(
            refresh_device, portal.access, data.refresh_token, ip=portal.client.ip(request)
        )
        return tokens_of(issued, portal.access.clock.now())

    @delete(
        "/current", summary="Выйти: отключить это устройство", security=BEARER,
        responses=problem_responses(401),
    )  # fmt: skip
    async def sign_out(self, request: AnyRequest, portal: Portal, holder: Holder) -> None:
        """Все токены устройства, с которого сделан запрос, перестают действовать."""
        await sync_to_thread(
            sign_out_device, portal.access, holder.access_token, ip=portal.client.ip(request)
        )


class DevicesController(Controller):
    path = "/devices"
    tags = ["personal"]  # noqa: RUF012 - Litestar reads it as the class attribute

    @get("/", summary="Устройства с доступом", security=BEARER, responses=problem_responses(401))
    async def devices(
        self,
        request: AnyRequest,
        portal: Portal,
        holder: Holder,
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> Response[CursorPage[Device]]:
        """Устройства, в которых выполнен вход через API; `current` — это устройство."""
        found = await sync_to_thread(devices_of, portal.access, holder.registration_key)
        devices = [
            Device(d.id, d.name, d.signed_in_at, d.last_used_at, d.id == holder.session.device_id)
            for d in found
        ]
        return json_read(request, page_of(devices, lambda d: d.id, cursor, limit))

    @delete(
        "/{device_id:str}", summary="Отключить устройство", security=BEARER,
        responses=problem_responses(401, 404),
    )  # fmt: skip
    async def revoke(
        self, request: AnyRequest, portal: Portal, holder: Holder, device_id: DeviceId
    ) -> None:
        """Токены устройства перестают действовать сразу. Чужое или уже отключённое
        устройство — 404."""
        await sync_to_thread(
            revoke_device, portal.access, holder.registration_key, device_id,
            ip=portal.client.ip(request),
        )  # fmt: skip
