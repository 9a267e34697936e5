"""Meters and readings (F13–F17): submit, withdraw, history and the house's meters, by the
readings page's own use cases (one set of rules: capacity, plausibility, the window)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated
from urllib.parse import urlencode

import msgspec
from litestar import Controller, Response, delete, get, post
from litestar.concurrency import sync_to_thread
from litestar.datastructures import ResponseHeader
from litestar.params import JSONBody, PathParameter, QueryParameter

from lk_core.readings.history import HistoryRow, house_readings, meter_history
from lk_core.readings.meter_lines import MeterLine
from lk_core.readings.meters import DigitCapacity
from lk_core.readings.reading import Reading
from lk_core.readings.submission import ReadingsForm, delete_reading, readings_form, submit_readings
from lk_web.api.auth import Holder, Owned
from lk_web.api.cursor import Cursor, CursorPage, Limit, page_of
from lk_web.api.etag import json_read
from lk_web.api.idempotent import IDEMPOTENT_REFUSALS, IdempotencyKey, resident_once
from lk_web.api.openapi import BEARER
from lk_web.api.problems import ApiProblem, FieldProblem, problem_responses
from lk_web.client import AnyRequest
from lk_web.dependencies import Portal, Services
from lk_web.reads import read

MeterId = Annotated[str, PathParameter(max_length=64, description="Прибор учёта (`meter_id`)")]
ReadingId = Annotated[str, PathParameter(max_length=64, description="Показание (`id`)")]
ServiceQuery = Annotated[
    str | None, QueryParameter(max_length=32, description="Услуга (`service_code`); без неё — все")
]
Value = Annotated[str, msgspec.Meta(max_length=32, examples=["123.45"])]


def number(value: Decimal | None) -> str | None:
    """A reading or consumption as a decimal string, never a float."""
    return None if value is None else format(value, "f")


class ReadingOut(msgspec.Struct, frozen=True):
    """Показание прибора в одной тарифной зоне за период."""

    id: str
    period: str
    value: str
    taken_at: dt.datetime
    source: str
    status: str
    status_name: str


class MeterLineOut(msgspec.Struct, frozen=True):
    """Строка формы передачи показаний: прибор и тарифная зона. `key` — имя строки в
    `values` при передаче показаний."""

    key: str
    meter_id: str
    serial: str
    service_code: str
    zone: str
    zone_name: str
    integer_digits: int
    fraction_digits: int
    period: str
    previous: ReadingOut | None
    current: ReadingOut | None
    pending_reading_id: str | None
    recent_average: str | None


class Meters(msgspec.Struct, frozen=True):
    """Приборы учёта счёта: строки формы, период, в который уйдут показания, и день
    окончания приёма."""

    period: str
    cutoff_day: int | None
    after_cutoff: bool
    lines: list[MeterLineOut]
    next_cursor: str | None


class ReadingsIn(msgspec.Struct, frozen=True):
    """Показания одной услуги: `values` — значение для каждой строки (`key`)."""

    service: Annotated[str, msgspec.Meta(max_length=32, examples=["HVS"])]
    values: Annotated[dict[str, Value], msgspec.Meta(max_length=50)]


class Submitted(msgspec.Struct, frozen=True):
    """Показания приняты: `stored` — сколько сохранено, `period` — в какой период они
    ушли. Строки с новыми показаниями — в `GET …/meters` (адрес в заголовке `Location`)."""

    stored: int
    period: str


class HistoryRowOut(msgspec.Struct, frozen=True):
    """Показание в истории прибора и расход с прошлого показания."""

    reading: ReadingOut
    zone: str
    consumption: str | None


class HouseReading(msgspec.Struct, frozen=True):
    """Показание общедомового прибора за период."""

    period: str
    meter_id: str
    service_name: str
    unit: str
    zone: str
    value: str
    consumption: str | None


def reading_value(reading: Reading, capacity: DigitCapacity) -> str:
    """A reading as the meter shows it: `1200.500` for three fraction digits."""
    value = reading.value
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and -exponent < capacity.fraction_digits:
        value = value.quantize(Decimal(1).scaleb(-capacity.fraction_digits))
    return format(value, "f")


def reading_out(reading: Reading | None) -> ReadingOut | None:
    if reading is None:
        return None
    return ReadingOut(
        reading.id, str(reading.period), format(reading.value, "f"), reading.taken_at,
        reading.source.value, reading.status.value, reading.status.label_ru,
    )  # fmt: skip


def line_out(line: MeterLine) -> MeterLineOut:
    pending = line.pending
    return MeterLineOut(
        key=line.key,
        meter_id=line.meter.id,
        serial=line.meter.serial,
        service_code=line.meter.service_code,
        zone=line.zone.value,
        zone_name=line.zone.label_ru,
        integer_digits=line.meter.capacity.integer_digits,
        fraction_digits=line.meter.capacity.fraction_digits,
        period=str(line.period),
        previous=reading_out(line.previous),
        current=reading_out(line.current),
        pending_reading_id=pending.id if pending is not None else None,
        recent_average=number(line.recent_average),
    )


def every_line(
    portal: Services, account_key: str, service: str | None
) -> tuple[ReadingsForm, list[MeterLine]]:
    """The form of one service, or of every service with meters, line by line."""
    form = readings_form(portal.readings, account_key, service or "")
    if service:
        return form, list(form.lines)
    lines: list[MeterLine] = []
    for each in form.services:
        lines += readings_form(portal.readings, account_key, each.code).lines
    return form, lines


def history_row(row: HistoryRow) -> HistoryRowOut:
    reading = reading_out(row.reading)
    assert reading is not None
    return HistoryRowOut(reading, row.reading.zone.value, number(row.consumption))


class ReadingsController(Controller):
    path = "/accounts/{account:str}"
    tags = ["readings"]  # noqa: RUF012 - Litestar reads it as the class attribute

    @get(
        "/meters", summary="Приборы учёта и форма передачи показаний", security=BEARER,
        responses=problem_responses(401, 404),
    )  # fmt: skip
    async def meters(
        self,
        request: AnyRequest,
        portal: Portal,
        owned: Owned,
        service: ServiceQuery = None,
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> Response[Meters]:
        """Строки формы передачи показаний по всем услугам счёта (или одной)."""
        key = owned.key
        form, lines = await read(portal, every_line, portal, key, service)
        page = page_of([line_out(line) for line in lines], lambda line: line.key, cursor, limit)
        window = form.window
        meters = Meters(
            str(window.period), window.cutoff_day, window.after_cutoff, page.items,
            page.next_cursor,
        )  # fmt: skip
        return json_read(request, meters)

    @post(
        "/readings", summary="Передать показания", security=BEARER, status_code=201,
        responses=problem_responses(401, 404, *IDEMPOTENT_REFUSALS),
        response_headers=[
            ResponseHeader(
                name="Location", documentation_only=True,
                description="Строки формы с новыми показаниями (`GET …/meters`)",
            )
        ],
    )  # fmt: skip
    async def submit(
        self,
        request: AnyRequest,
        portal: Portal,
        holder: Holder,
        owned: Owned,
        data: JSONBody[ReadingsIn],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[Submitted]:
        """Проверяет и сохраняет все значения или ни одного: каждая отказанная строка
        названа в `errors` как `values.<key>` с причиной."""
        key = owned.key

        def run() -> Response[Submitted]:
            submission = submit_readings(portal.readings, key, data.service, data.values)
            if not submission.accepted:
                errors = [
                    FieldProblem(f"values.{line}", "reading_refused", reason)
                    for line, reason in submission.problems.items()
                ]
                raise ApiProblem(
                    400, "validation_failed", "; ".join(e.detail for e in errors), errors=errors
                )
            # Like the form's redirect, no second read: the lines are at `Location`.
            meters = f"/api/v1/accounts/{key}/meters?" + urlencode({"service": data.service})
            return Response(
                Submitted(submission.stored, str(submission.form.window.period)),
                status_code=201,
                headers={"Location": meters},
            )

        return await resident_once(request, portal, holder, run)

    @delete(
        "/readings/{reading_id:str}", summary="Удалить (отозвать) показание", security=BEARER,
        responses=problem_responses(401, 404, 409),
    )  # fmt: skip
    async def withdraw(self, portal: Portal, owned: Owned, reading_id: ReadingId) -> None:
        """Удалить можно только своё показание, ещё не обработанное биллингом."""
        key = owned.key
        await sync_to_thread(delete_reading, portal.readings, key, reading_id)

    @get(
        "/meters/{meter_id:str}/readings", summary="История показаний прибора",
        security=BEARER, responses=problem_responses(401, 404),
    )  # fmt: skip
    async def history(
        self,
        request: AnyRequest,
        portal: Portal,
        owned: Owned,
        meter_id: MeterId,
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> Response[CursorPage[HistoryRowOut]]:
        """Все показания прибора с расходом и источником."""
        key = owned.key
        history = await read(portal, meter_history, portal.readings, key, meter_id)
        rows = [history_row(row) for row in history.rows]
        return json_read(request, page_of(rows, lambda r: r.reading.id, cursor, limit))

    @get(
        "/house-meters", summary="Общедомовые приборы учёта", security=BEARER,
        responses=problem_responses(401, 404),
    )  # fmt: skip
    async def house(
        self,
        request: AnyRequest,
        portal: Portal,
        owned: Owned,
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> Response[CursorPage[HouseReading]]:
        """Показания общедомовых приборов дома по периодам, новые первыми."""
        key = owned.key
        house = await read(portal, house_readings, portal.readings, key)
        found = [
            HouseReading(
                str(period.period),
                column.meter.id,
                column.service_name,
                column.unit,
                column.zone.value,
                reading_value(cell.reading, column.meter.capacity),
                number(cell.consumption),
            )
            for period in house.periods
            for column, cell in zip(house.columns, period.cells, strict=True)
            if cell is not None
        ]
        return json_read(
            request, page_of(found, lambda r: f"{r.period}|{r.meter_id}|{r.zone}", cursor, limit)
        )
