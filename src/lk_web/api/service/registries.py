"""A bank's payment registry uploaded over HTTP (F24, F28): the file as the bank made it,
loaded by the same rules as `lk payments import-registry` (whole or not at all; a line
loaded before is not credited twice)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import msgspec
from litestar import Controller, Response, post
from litestar.openapi.spec import OpenAPIMediaType, OpenAPIType, Operation, RequestBody, Schema
from litestar.params import Parameter

from lk_adapters.registries import (
    RegistryFileError,
    RegistryFormatError,
    bank_format,
    read_registry_bytes,
)
from lk_core.payments.registry import RegistryOutcome
from lk_core.payments.registry_import import RegistryRejected, import_registry
from lk_core.service_api import Scope
from lk_web.api.idempotent import IdempotencyKey, run_once
from lk_web.api.openapi import SERVICE_KEY
from lk_web.api.problems import ApiProblem, FieldProblem
from lk_web.api.service.auth import SCOPE, caller_key, caller_of
from lk_web.api.service.common import POST_REFUSALS, TAGS, in_thread, refusals, wiring_of
from lk_web.api.service.wiring import ServiceWiring
from lk_web.client import AnyRequest
from lk_web.dependencies import Portal

MAX_REGISTRY_BYTES = 20 * 1024 * 1024
RegistryName = Annotated[
    str,
    Parameter(
        description="Имя файла реестра (так он называется в сверке)",
        min_length=1,
        max_length=200,
        pattern=r"^[^/\\\x00-\x1f]+$",
    ),
]
BankName = Annotated[
    str,
    Parameter(description="Банк: sberbank или описанный в LK_PAYMENTS_BANKS", max_length=32),
]


class RegistryLoaded(msgspec.Struct, frozen=True):
    """What loading the registry did: its lines, those loaded before, and each outcome."""

    registry: str
    lines: int
    repeated: int
    outcomes: dict[str, int]


def _problem(problems: list[tuple[int, str]]) -> ApiProblem:
    errors = [
        FieldProblem("body", "invalid_line", f"строка {line}: {message}")
        for line, message in problems
    ]
    detail = f"Реестр не загружен, ничего не изменено: ошибок — {len(errors)}"
    return ApiProblem(422, RegistryRejected.code, detail, errors=errors)


def _load(
    request: AnyRequest, body: bytes, wiring: ServiceWiring, bank: str, name: str
) -> Response[Any]:
    key = caller_key(request)

    def run() -> Response[Any]:
        try:
            fmt = bank_format(bank, wiring.banks)
        except (KeyError, RegistryFormatError):
            known = ", ".join(sorted({"sberbank", *wiring.banks}))
            raise ApiProblem.invalid_field(
                "bank", f"Поле «bank»: банк «{bank}» не описан; известны: {known}"
            ) from None
        try:
            entries = read_registry_bytes(body, Path(name), fmt)
        except RegistryFileError as error:
            raise _problem([(line, message) for line, _column, message in error.problems]) from None
        try:
            report = import_registry(
                wiring.uow_factory, wiring.clock, bank, name, entries,
                wiring.payments.registry_providers,
            )  # fmt: skip
        except RegistryRejected as rejected:
            raise _problem(rejected.problems) from None
        outcomes = {outcome.value: report.outcomes[outcome] for outcome in RegistryOutcome}
        loaded = RegistryLoaded(name, report.lines, report.repeated, outcomes)
        return Response(msgspec.json.encode(loaded), media_type="application/json")

    return run_once(request, body, wiring.api, caller_of(key), run)


@dataclass
class RegistryUpload(Operation):
    """The operation's request body: the bank's file as it is, not JSON (Litestar would
    decode a declared body as JSON, so the handler reads the bytes and this documents them)."""

    def __post_init__(self) -> None:
        self.request_body = RequestBody(
            content={
                "text/csv": OpenAPIMediaType(
                    schema=Schema(type=OpenAPIType.STRING, format="binary")  # type: ignore[arg-type]
                )
            },
            description="Файл реестра, как его прислал банк (CSV с «;», обычно Windows-1251)",
            required=True,
        )


class ServiceRegistriesController(Controller):
    path = "/payments/registries"
    tags = TAGS
    request_max_body_size = MAX_REGISTRY_BYTES

    @post(
        "/",
        summary="Загрузить реестр платежей банка",
        security=SERVICE_KEY,
        opt={SCOPE: Scope.PAYMENTS_WRITE},
        responses=refusals(*POST_REFUSALS, 413),
        status_code=200,
        operation_class=RegistryUpload,
    )
    async def upload(
        self,
        request: AnyRequest,
        portal: Portal,
        bank: BankName,
        name: RegistryName,
        idempotency_key: IdempotencyKey = None,
    ) -> Response[RegistryLoaded]:
        """Реестр загружается целиком или не загружается вовсе; платёж, уже пришедший от
        платёжного сервиса или из этого реестра раньше, второй раз не зачисляется.
        Область доступа: `payments:write`."""
        body = await request.body()
        return await in_thread(_load, request, body, wiring_of(portal), bank, name)
