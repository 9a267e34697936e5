"""`lk requests list|show|executors|assign|status|comment`: the dispatcher's queue for
scripts and operators (F30, F32).

As every operator command (ADR 0030), each view and action is written to the audit log
under the operator's name — before it is done, so that nothing is done unaudited. The
roster of executors (`executors`) names no resident and is not audited, as `lk staff list`.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from lk_adapters.container import Container
from lk_cli.context import domain_errors_exit
from lk_cli.literal import literal
from lk_cli.operator.common import (
    json_option,
    operator_named,
    operator_option,
    print_json,
    ready_container,
)
from lk_cli.operator.views import local
from lk_core.access.audit import AuditKind
from lk_core.kernel.errors import NotFound
from lk_core.operator.operators import Operator
from lk_core.operator.support import operator_audit
from lk_core.requests import (
    ExecutorSource,
    QueueFilter,
    RequestStatus,
    RequestView,
    ServiceRequest,
    assign_executor,
    change_status,
    comment_as_dispatcher,
    executor_roster,
    parse_request_number,
    request_by_number,
    request_number,
    request_queue,
    request_view,
)

STATUS_NAMES = [status.value for status in RequestStatus]
ID_LENGTH = 32


def _audit(
    container: Container,
    kind: AuditKind,
    operator: Operator,
    accounts: set[str],
    **details: str,
) -> None:
    now = container.clock().now()
    with container.uow_factory()() as uow:
        for account_key in sorted(accounts):
            operator_audit(uow, kind, now, operator, account_key, **details)
        uow.commit()


def _account_of(container: Container, request_id: str) -> str:
    with container.uow_factory()(read_only=True) as uow:
        found = uow.service_requests.get(request_id)
    if found is None:
        raise NotFound("request", request_id)
    return found.account_key


def _request_id(container: Container, typed: str) -> str:
    """An id as given; a number (`1042`, `№1042`) stands for its request (ADR 0075)."""
    if len(typed) == ID_LENGTH:
        return typed
    return request_by_number(container.requests(), parse_request_number(typed)).id


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.astimezone(dt.UTC).isoformat() if moment is not None else None


def request_json(request: ServiceRequest, now: dt.datetime) -> dict[str, Any]:
    return {
        "id": request.id,
        "number": request_number(request),
        "account": request.account_key,
        "house": request.house_code,
        "category": request.category,
        "emergency": request.emergency,
        "status": request.status.value,
        "description": request.description,
        "visit_window": request.visit_window,
        "contact_phone": request.contact_phone,
        "executor": request.executor,
        "reject_reason": request.reject_reason,
        "created_at": _iso(request.created_at),
        "due_at": _iso(request.due_at),
        "overdue": request.is_overdue(now),
        "completed_at": _iso(request.completed_at),
        "rating": request.rating.score if request.rating else None,
        "rating_comment": request.rating.comment if request.rating else "",
    }


def view_json(view: RequestView, now: dt.datetime) -> dict[str, Any]:
    return {
        **request_json(view.request, now),
        "history": [
            {"seq": e.seq, "at": _iso(e.at), "actor": e.actor.shown_ru, "kind": e.kind.value,
             "status": e.status.value, "text": e.text}
            for e in view.history
        ],
        "comments": [
            {"at": _iso(c.at), "author": c.author.shown_ru, "text": c.text} for c in view.comments
        ],
        "photos": [
            {"id": p.id, "width": p.width, "height": p.height, "size": p.size,
             "source_format": p.source_format}
            for p in view.photos
        ],
    }  # fmt: skip


@click.group("requests")
def requests() -> None:
    """Заявки жителей: очередь диспетчера, исполнитель, статус, комментарии."""


@requests.command("list")
@click.option("--house", metavar="КОД", help="Только заявки дома с этим кодом.")
@click.option(
    "--status", "statuses", multiple=True, type=click.Choice(STATUS_NAMES),
    help="Только в этих статусах (можно несколько раз).",
)  # fmt: skip
@click.option("--category", metavar="КОД", help="Только этой категории (plumbing, lift, …).")
@click.option(
    "--emergency/--not-emergency", default=None, help="Только аварийные или только обычные."
)
@click.option("--overdue", is_flag=True, help="Только просроченные: открытые после своего срока.")
@click.option("--offset", type=click.IntRange(0), default=0, show_default=True)
@click.option("--limit", type=click.IntRange(1, 200), default=50, show_default=True)
@json_option
@operator_option
@domain_errors_exit
def list_requests(
    house: str | None,
    statuses: tuple[str, ...],
    category: str | None,
    emergency: bool | None,
    overdue: bool,
    offset: int,
    limit: int,
    as_json: bool,
    operator_name: str | None,
) -> None:
    """Очередь заявок: сначала аварийные, затем с ближайшим сроком.

    Просмотр записывается в журнал аудита по каждому показанному лицевому счёту.
    """
    operator = operator_named(operator_name)
    container = ready_container()
    now = container.clock().now()
    where = QueueFilter(
        house_code=house,
        statuses=frozenset(RequestStatus(s) for s in statuses) if statuses else None,
        category=category,
        emergency=emergency,
        overdue_at=now if overdue else None,
    )
    page = request_queue(container.requests(), where, offset, limit)
    shown = {r.account_key for r in page.requests}
    if shown:
        _audit(container, AuditKind.OPERATOR_VIEW, operator, shown, command="requests list")
    if as_json:
        print_json({"requests": [request_json(r, now) for r in page.requests],
                    "offset": page.offset, "has_more": page.has_more})  # fmt: skip
        return
    if not page.requests:
        click.echo("Заявок нет.")
        return
    catalogue = container.requests().catalogue
    tz = container.time_zone()
    table = Table(title=f"Заявки с {offset + 1} по {offset + len(page.requests)}")
    for column in ("№", "Счёт", "Дом", "Категория", "Статус", "Срок", "Исполнитель"):
        table.add_column(column)
    for r in page.requests:
        mark = " (аварийная)" if r.emergency else ""
        late = " — просрочена" if r.is_overdue(now) else ""
        table.add_row(
            literal(request_number(r)), literal(r.account_key), literal(r.house_code),
            literal(catalogue.title_of(r.category) + mark), literal(r.status.label_ru),
            literal(local(r.due_at, tz) + late), literal(r.executor or "—"),
        )  # fmt: skip
    Console().print(table)
    if page.has_more:
        click.echo(f"Есть ещё: --offset {offset + limit}")


def _show_text(view: RequestView, tz: zoneinfo.ZoneInfo, title: str) -> None:
    r = view.request
    console = Console()
    about = Table(title=literal(f"Заявка №{request_number(r)} ({r.id})"), show_header=False)
    about.add_column("", style="bold")
    about.add_column("")
    rows = [
        ("Счёт, дом", f"{r.account_key}, {r.house_code}"),
        ("Категория", title + (" (аварийная)" if r.emergency else "")),
        ("Статус", r.status.label_ru + (f": {r.reject_reason}" if r.reject_reason else "")),
        ("Подана", local(r.created_at, tz)),
        ("Срок", local(r.due_at, tz)),
        ("Исполнитель", r.executor or "—"),
        ("Описание", r.description),
        ("Удобное время", r.visit_window or "—"),
        ("Телефон", r.contact_phone),
        ("Фотографий", str(len(view.photos))),
        ("Оценка", f"{r.rating.score} из 5 {r.rating.comment}" if r.rating else "—"),
    ]
    for label, value in rows:
        about.add_row(label, literal(value))
    console.print(about)
    history = Table(title="История")
    for column in ("Когда", "Кто", "Что"):
        history.add_column(column)
    for e in view.history:
        what = e.kind.label_ru + (f": {e.status.label_ru}" if e.kind.value == "status" else "")
        history.add_row(
            literal(local(e.at, tz)), literal(e.actor.shown_ru),
            literal(what + (f" — {e.text}" if e.text else "")),
        )  # fmt: skip
    console.print(history)
    for c in view.comments:
        console.print(literal(f"{local(c.at, tz)} {c.author.shown_ru}: {c.text}"))


@requests.command("show")
@click.argument("request_id", metavar="ЗАЯВКА")
@json_option
@operator_option
@domain_errors_exit
def show(request_id: str, as_json: bool, operator_name: str | None) -> None:
    """Показать заявку по её id или номеру (например 1042): историю, переписку,
    фотографии. Просмотр попадает в журнал аудита."""
    operator = operator_named(operator_name)
    container = ready_container()
    request_id = _request_id(container, request_id)
    account = _account_of(container, request_id)
    _audit(container, AuditKind.OPERATOR_VIEW, operator, {account},
           command="requests show", request=request_id)  # fmt: skip
    view = request_view(container.requests(), request_id)
    if as_json:
        print_json(view_json(view, container.clock().now()))
        return
    _show_text(view, container.time_zone(), view.category_title)


@requests.command("executors")
@json_option
@domain_errors_exit
def executors(as_json: bool) -> None:
    """Кого можно назначить исполнителем: из справочника (LK_REQUESTS_EXECUTORS) и
    действующие сотрудники."""
    roster = executor_roster(ready_container().requests())
    if as_json:
        listed = [{"name": e.name, "source": e.source.value, "login": e.login or None}
                  for e in roster.executors]  # fmt: skip
        print_json({"executors": listed})
        return
    if not roster.executors:
        click.echo("Исполнителей нет: задайте LK_REQUESTS_EXECUTORS или заведите сотрудников.")
        return
    table = Table(title="Исполнители")
    for column in ("Исполнитель", "Откуда", "Логин"):
        table.add_column(column)
    labels = {ExecutorSource.CONFIGURED: "справочник", ExecutorSource.STAFF: "сотрудник"}
    for e in roster.executors:
        table.add_row(literal(e.name), labels[e.source], literal(e.login or "—"))
    Console().print(table)


@requests.command("assign")
@click.argument("request_id")
@click.argument("executor")
@operator_option
@domain_errors_exit
def assign(request_id: str, executor: str, operator_name: str | None) -> None:
    """Назначить исполнителя заявки — одного из `lk requests executors`."""
    operator = operator_named(operator_name)
    container = ready_container()
    _audit(container, AuditKind.OPERATOR_ACTION, operator, {_account_of(container, request_id)},
           command="requests assign", request=request_id, executor=executor[:200])  # fmt: skip
    done = assign_executor(container.requests(), request_id, executor, operator.name)
    click.echo(f"Заявка №{request_number(done)}: исполнитель {done.executor}.")


@requests.command("status")
@click.argument("request_id")
@click.argument("status", type=click.Choice([s for s in STATUS_NAMES if s != "new"]))
@click.option("--comment", default="", help="Комментарий жителю; для отказа — причина.")
@operator_option
@domain_errors_exit
def status(request_id: str, status: str, comment: str, operator_name: str | None) -> None:
    """Перевести заявку в статус accepted, in_progress, done или rejected (с причиной).

    Житель получает уведомление по выбранным им каналам.
    """
    operator = operator_named(operator_name)
    container = ready_container()
    _audit(container, AuditKind.OPERATOR_ACTION, operator, {_account_of(container, request_id)},
           command="requests status", request=request_id, status=status)  # fmt: skip
    target = RequestStatus(status)
    done = change_status(container.requests(), request_id, target, comment, operator.name)
    click.echo(f"Заявка №{request_number(done)}: {done.status.label_ru}.")


@requests.command("comment")
@click.argument("request_id")
@click.argument("text")
@operator_option
@domain_errors_exit
def comment(request_id: str, text: str, operator_name: str | None) -> None:
    """Написать жителю в переписке заявки; житель получает уведомление."""
    operator = operator_named(operator_name)
    container = ready_container()
    _audit(container, AuditKind.OPERATOR_ACTION, operator, {_account_of(container, request_id)},
           command="requests comment", request=request_id)  # fmt: skip
    comment_as_dispatcher(container.requests(), request_id, text, operator.name)
    click.echo("Комментарий добавлен.")
