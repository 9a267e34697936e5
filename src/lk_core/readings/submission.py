"""Submitting meter readings (F13) and deleting a pending one (F14).

The resident chooses a service and sees a line per meter and tariff zone. Every value
typed is checked against the reading rules; if any is refused, none is stored and each
refused line says why. Submitting again for a line whose value still waits for billing
replaces that value; the replaced one stays in the history.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from zoneinfo import ZoneInfo

import attrs

from lk_core.accounts.account import Account
from lk_core.kernel.errors import DomainError, NotFound
from lk_core.kernel.read_ahead import expect
from lk_core.ledger.services import Service
from lk_core.readings.context import ReadingsContext
from lk_core.readings.errors import ReadingAlreadyCalculated, ReadingConflict
from lk_core.readings.meter_lines import MeterLine
from lk_core.readings.meters import Meter
from lk_core.readings.ports import ReadingsFormReads, ReadingsUnitOfWork
from lk_core.readings.reading import EntryStatus, Reading, ReadingNotPending, ReadingSource
from lk_core.readings.reading import parse_reading_value as parse
from lk_core.readings.rules import check_reading
from lk_core.readings.window import SubmissionWindow

# Concurrent submissions for one meter clash in the database; the loser starts again
# from what the winner stored, so both residents' tabs end with one pending value.
ATTEMPTS = 3


@attrs.frozen
class ReadingsForm:
    """The «Передать показания» page of one service: its lines, or the services to choose."""

    account: Account
    services: tuple[Service, ...]
    service: Service | None
    window: SubmissionWindow
    lines: tuple[MeterLine, ...]
    # What the lines were worked out from: the service's meters' readings, not withdrawn.
    readings: tuple[Reading, ...] = attrs.field(default=(), repr=False)

    @property
    def meter_ids(self) -> list[str]:
        return sorted({line.meter.id for line in self.lines})


def _today(ctx: ReadingsContext, now: dt.datetime) -> dt.date:
    return now.astimezone(ZoneInfo(ctx.time_zone)).date()


def _window(ctx: ReadingsContext, now: dt.datetime) -> SubmissionWindow:
    return SubmissionWindow.on(_today(ctx, now), ctx.policy.cutoff_day)


def _account(uow: ReadingsUnitOfWork, account_key: str) -> Account:
    account = uow.accounts.get(account_key)
    if account is None:
        raise NotFound("account", account_key)
    return account


def _form(
    uow: ReadingsUnitOfWork, account: Account, window: SubmissionWindow, code: str
) -> ReadingsForm:
    meters = [m for m in uow.meters.of_account(account.key) if not m.archived]
    by_code = {s.code: s for s in uow.services.list()}
    services = tuple(by_code[c] for c in dict.fromkeys(m.service_code for m in meters))
    service = by_code.get(code) if code else (services[0] if len(services) == 1 else None)
    if code and service not in services:
        raise NotFound("service", code)
    chosen = [m for m in meters if service is not None and m.service_code == service.code]
    readings = tuple(uow.readings.of_meters([m.id for m in chosen], withdrawn=False))
    lines = tuple(
        MeterLine.of(meter, zone, window.period, readings)
        for meter in chosen
        for zone in meter.zones
    )
    return ReadingsForm(account, services, service, window, lines, readings)


def readings_form(ctx: ReadingsContext, account_key: str, service_code: str = "") -> ReadingsForm:
    """The page for the account's meters of one service (or the choice of service)."""
    window = _window(ctx, ctx.clock.now())
    with ctx.uow_factory(read_only=True) as uow:
        expect(uow, ReadingsFormReads(account_key))
        return _form(uow, _account(uow, account_key), window, service_code)


@attrs.frozen
class Submission:
    """What became of a submission: the lines' problems (nothing stored) or values stored.

    `form` is the page as it was before the values were stored: after storing them the
    page is read again (the web edge redirects to it), so a submission costs no re-read.
    """

    form: ReadingsForm
    problems: dict[str, str]
    typed: dict[str, str]
    stored: int = 0

    @property
    def accepted(self) -> bool:
        return not self.problems


def _checked(ctx: ReadingsContext, line: MeterLine, text: str, today: dt.date) -> Reading:
    if line.is_calculated:
        raise ReadingAlreadyCalculated(line.period.label_ru)
    value = parse(text)
    check_reading(
        line.meter, line.zone, value,
        previous=line.previous.value if line.previous else None,
        on=today, recent_average=line.recent_average, policy=ctx.policy,
    )  # fmt: skip
    now = ctx.clock.now()
    return Reading(
        uuid.uuid4().hex, line.meter.id, line.zone, line.period, value, now, ReadingSource.PORTAL
    )


def _submit_once(
    ctx: ReadingsContext, account_key: str, service_code: str, typed: dict[str, str]
) -> Submission:
    now = ctx.clock.now()
    # The page is read and the values checked outside the write transaction: a writer
    # holds the database's write lock from its first statement (on SQLite the only one),
    # and residents submitting at once queued behind each other's reads.
    with ctx.uow_factory(read_only=True) as uow:
        form = _form(uow, _account(uow, account_key), _window(ctx, now), service_code)
    lines = {line.key: line for line in form.lines}
    if form.service is None or not set(typed) <= set(lines):
        raise NotFound("meter", sorted(set(typed) - set(lines)))
    problems: dict[str, str] = {}
    new: list[tuple[MeterLine, Reading]] = []
    for key, text in typed.items():
        try:
            new.append((lines[key], _checked(ctx, lines[key], text, _today(ctx, now))))
        except DomainError as error:
            problems[key] = error.message_ru
    if problems:
        return Submission(form, problems, typed)
    with ctx.uow_factory() as uow:
        # What was checked must still be what is stored: any reading of these meters
        # added or changed meanwhile (another tab, billing's results) means starting over.
        if tuple(uow.readings.of_meters(form.meter_ids, withdrawn=False)) != form.readings:
            raise ReadingConflict()
        for line, reading in new:
            replaced = line.current if line.current and line.current.is_pending else None
            if replaced and not uow.readings.withdraw(replaced.id, EntryStatus.REPLACED):
                raise ReadingConflict()
            uow.readings.add_pending(reading)
        uow.commit()
    return Submission(form, {}, {}, len(new))


def submit_readings(
    ctx: ReadingsContext, account_key: str, service_code: str, typed: Mapping[str, str]
) -> Submission:
    """Check every typed value; store them all, or none with each refused line's reason."""
    filled = {key: text for key, text in typed.items() if text.strip()}
    for attempt in range(ATTEMPTS):
        try:
            return _submit_once(ctx, account_key, service_code, filled)
        except ReadingConflict:
            if attempt == ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def delete_reading(ctx: ReadingsContext, account_key: str, reading_id: str) -> Reading:
    """Withdraw the resident's pending reading; it stays in the history as deleted."""
    with ctx.uow_factory() as uow:
        reading = uow.readings.get(reading_id)
        meter: Meter | None = uow.meters.get(reading.meter_id) if reading else None
        if reading is None or meter is None or meter.account_key != account_key:
            raise NotFound("reading", reading_id)
        reading.ensure_deletable()
        if not uow.readings.withdraw(reading.id, EntryStatus.DELETED):
            raise ReadingNotPending()
        uow.commit()
        return reading
