"""Readings exchanged with billing over HTTP (F23, F28): the pending readings page by page,
and billing's results, loaded by the same rules as `lk readings import-results`."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from typing import Annotated, Any, Literal

import msgspec
from litestar import Controller, Response, get, post
from litestar.params import JSONBody, Parameter

from lk_adapters.billing_files import RowsSourceFile
from lk_core.billing_import import (
    FileKind,
    ResultsReport,
    import_reading_results,
    pending_readings_page,
)
from lk_core.kernel.errors import DomainError
from lk_core.kernel.periods import Period
from lk_core.kernel.runtime import no_progress
from lk_core.readings.reading import Reading
from lk_core.service_api import Scope
from lk_web.api.cursor import Cursor, CursorPage, Limit
from lk_web.api.etag import json_read
from lk_web.api.idempotent import IdempotencyKey, run_once
from lk_web.api.openapi import SERVICE_KEY
from lk_web.api.problems import ApiProblem, FieldProblem
from lk_web.api.service.auth import SCOPE, caller_key, caller_of
from lk_web.api.service.common import (
    KEY_REFUSALS,
    POST_REFUSALS,
    TAGS,
    in_thread,
    refusals,
    wiring_of,
)
from lk_web.api.service.wiring import ServiceWiring
from lk_web.client import AnyRequest
from lk_web.dependencies import Portal

PeriodText = Annotated[
    str, msgspec.Meta(pattern=r"^[0-9]{4}-[0-9]{2}$", examples=["2026-03"], description="ГГГГ-ММ")
]
DecimalText = Annotated[
    str, msgspec.Meta(pattern=r"^[0-9]{1,12}(\.[0-9]{1,6})?$", examples=["123.456"])
]
MAX_RESULTS = 5000
_INVALID_CURSOR = "Поле «cursor»: курсор не распознан"


class PendingReading(msgspec.Struct, frozen=True):
    """A reading a resident submitted that waits for billing."""

    id: str
    meter_id: str
    zone: str
    period: PeriodText
    value: DecimalText
    taken_at: dt.datetime
    source: str


class ReadingResult(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Billing's word on a reading: an exported one calculated or rejected (with a reason),
    or one billing took itself (operator, inspector, by average or norm)."""

    id: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
    meter_id: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
    period: PeriodText
    value: DecimalText
    taken_at: dt.datetime
    source: Literal["portal", "operator", "inspector", "average", "norm"]
    status: Literal["calculated", "rejected"]
    zone: Literal["single", "day", "night", "peak", "half_peak"] = "single"
    reason: Annotated[str, msgspec.Meta(max_length=500)] = ""


class ReadingResults(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    results: Annotated[list[ReadingResult], msgspec.Meta(min_length=1, max_length=MAX_RESULTS)]


class ResultsLoaded(msgspec.Struct, frozen=True):
    """What loading the results did (all of them, or nothing)."""

    calculated: int
    rejected: int
    loaded: int
    unchanged: int


def _item(reading: Reading) -> PendingReading:
    return PendingReading(
        id=reading.id,
        meter_id=reading.meter_id,
        zone=reading.zone.value,
        period=str(reading.period),
        value=format(reading.value, "f"),
        taken_at=reading.taken_at,
        source=reading.source.value,
    )


def _cursor(after: str) -> str:
    return base64.urlsafe_b64encode(msgspec.json.encode({"after": after})).decode().rstrip("=")


def _after(cursor: str | None) -> str:
    """The reading id a cursor of this list continues after ("" without a cursor)."""
    if not cursor:
        return ""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        after = msgspec.json.decode(raw, type=dict[str, str])["after"]
    except (binascii.Error, ValueError, KeyError, msgspec.DecodeError):
        raise ApiProblem.invalid_field("cursor", _INVALID_CURSOR, "invalid_cursor") from None
    return after


def _period(text: str, field: str) -> Period:
    try:
        return Period.parse(text)
    except DomainError as error:
        raise ApiProblem.invalid_field(field, f"Поле «{field}»: {error.message_ru}") from None


_FIELDS = {"reading": "id", "meter": "meter_id"}


def _row(result: ReadingResult, tz: dt.tzinfo) -> dict[str, str]:
    """A result as the fields of a `readings` file row (docs/formats.md)."""
    taken = result.taken_at
    if taken.tzinfo is None:
        taken = taken.replace(tzinfo=tz)
    return {
        "reading": result.id,
        "meter": result.meter_id,
        "zone": "" if result.zone == "single" else result.zone,
        "period": result.period,
        "value": result.value,
        "taken_at": taken.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
        "source": result.source,
        "status": result.status,
        "reason": result.reason,
    }


def _refused(report: ResultsReport) -> ApiProblem:
    errors = [
        FieldProblem(
            f"results[{problem.line - 1}].{_FIELDS.get(problem.column, problem.column)}",
            "invalid_value",
            problem.reason,
        )
        for problem in report.problems
    ]
    detail = f"Результаты не загружены, ничего не изменено: ошибок — {len(errors)}"
    return ApiProblem(422, "results_rejected", detail, errors=errors)


def _pending(
    request: AnyRequest, wiring: ServiceWiring, period: str, cursor: str | None, limit: int
) -> Response[Any]:
    page = pending_readings_page(
        wiring.uow_factory, _period(period, "period"), _after(cursor), limit
    )
    following = None if page.next_after is None else _cursor(page.next_after)
    return json_read(request, CursorPage([_item(r) for r in page.readings], following))


def _load_results(
    request: AnyRequest, body: bytes, wiring: ServiceWiring, data: ReadingResults
) -> Response[Any]:
    key = caller_key(request)

    def run() -> Response[Any]:
        rows = [_row(result, wiring.time_zone) for result in data.results]
        source = RowsSourceFile("results", FileKind.READINGS, rows)
        report = import_reading_results(
            wiring.uow_factory, source, tz=wiring.time_zone, progress=no_progress()
        )
        if not report.applied:
            raise _refused(report)
        loaded = ResultsLoaded(report.calculated, report.rejected, report.loaded, report.unchanged)
        return Response(msgspec.json.encode(loaded), media_type="application/json")

    return run_once(request, body, wiring.api, caller_of(key), run)


class ServiceReadingsController(Controller):
    path = "/readings"
    tags = TAGS

    @get(
        "/pending",
        summary="Показания, ожидающие расчёта в биллинге",
        security=SERVICE_KEY,
        opt={SCOPE: Scope.READINGS_READ},
        responses=refusals(*KEY_REFUSALS),
    )
    async def pending(
        self,
        request: AnyRequest,
        portal: Portal,
        period: Annotated[str, Parameter(description="Период, ГГГГ-ММ", pattern=r"^\d{4}-\d{2}$")],
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> Response[CursorPage[PendingReading]]:
        """Показания периода, переданные жителями и ещё не рассчитанные, по коду показания.
        Область доступа: `readings:read`."""
        return await in_thread(_pending, request, wiring_of(portal), period, cursor, limit)

    @post(
        "/results",
        summary="Загрузить результаты расчёта показаний",
        security=SERVICE_KEY,
        opt={SCOPE: Scope.READINGS_WRITE},
        responses=refusals(*POST_REFUSALS),
        status_code=200,
    )
    async def results(
        self,
        request: AnyRequest,
        portal: Portal,
        data: JSONBody[ReadingResults],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[ResultsLoaded]:
        """«Рассчитано» или «Отклонено» с причиной для выгруженных показаний и показания,
        снятые биллингом. Загружается всё или ничего; повтор ничего не меняет.
        Область доступа: `readings:write`."""
        body = await request.body()
        return await in_thread(_load_results, request, body, wiring_of(portal), data)
