"""`lk outbox …`: the worker that delivers queued e-mails and SMS, and a look at the queue."""

from __future__ import annotations

import signal
import threading
import zoneinfo
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

import click
import structlog
from rich.console import Console
from rich.table import Table

from lk_adapters.container import Container
from lk_adapters.settings import SettingsError
from lk_adapters.sqlalchemy.migrations import upgrade_database
from lk_cli.context import EXIT_CONFIG_ERROR, container_from_environment
from lk_cli.literal import literal
from lk_core.accounts.contacts import Phone
from lk_core.kernel.errors import InvalidValue
from lk_core.messaging.delivery import DeliveryReport, deliver_due_messages, recent_messages
from lk_core.messaging.outbox import OutboxMessage
from lk_core.messaging.ports import Mailer, SmsSender

BATCH = 50


@click.group("outbox")
def outbox() -> None:
    """Очередь писем и SMS жителям."""


@outbox.command("run")
@click.option("--once", is_flag=True, help="Отправить всё, что пора отправить, и выйти.")
@click.option(
    "--interval",
    type=click.FloatRange(min=0.1),
    default=5.0,
    show_default=True,
    help="Пауза между проверками очереди, секунд.",
)
def run(once: bool, interval: float) -> None:
    """Отправлять письма и SMS из очереди, пока не остановят (Ctrl-C)."""
    container = container_from_environment()
    mailer, sms_sender = configured_gateways(container)
    upgrade_database(container.engine())
    tz = container.time_zone()
    log = structlog.get_logger().bind(command="outbox run")
    log.info("outbox worker started", once=once, interval_s=interval, batch=BATCH)
    with _stop_requested() as stop:
        while not stop.is_set():
            report = deliver_due_messages(
                container.uow_factory(), mailer, sms_sender, container.clock(), batch=BATCH
            )
            if report.total:
                log.info(
                    "outbox delivered", sent=report.sent, retried=report.retried,
                    failed=report.failed, postponed=report.postponed,
                )  # fmt: skip
                click.echo(_report_line(container, tz, report))
            if report.total >= BATCH:
                continue  # more may be due right away
            if once:
                break
            stop.wait(interval)
    stopped = stop.is_set()
    log.info("outbox worker stopped", reason="signal" if stopped else "queue empty")
    click.echo("Остановлено." if stopped or not once else "Очередь разобрана.")


@outbox.command("list")
@click.option(
    "--limit",
    type=click.IntRange(1, 10_000),
    default=30,
    show_default=True,
    help="Сколько последних сообщений показать.",
)
def list_messages(limit: int) -> None:
    """Последние сообщения в очереди: кому, о чём, отправлены ли (без текста)."""
    container = container_from_environment()
    upgrade_database(container.engine())
    tz = container.time_zone()
    messages = recent_messages(container.uow_factory(), limit)
    table = Table(title="Очередь сообщений (новые сверху)")
    for column in ("Создано", "Канал", "Получатель", "Тема", "Состояние", "Попыток", "Ошибка"):
        table.add_column(column)
    for message in messages:
        table.add_row(
            message.created_at.astimezone(tz).strftime("%d.%m.%Y %H:%M"),
            "e-mail" if message.email is not None else "SMS",
            literal(mask_recipient(message)),
            literal(message.email.subject if message.email is not None else "—"),
            message.status.label_ru,
            str(message.attempts),
            literal(message.last_error),
        )
    Console().print(table)
    if not messages:
        click.echo("Очередь пуста.")


def mask_recipient(message: OutboxMessage) -> str:
    """Enough of an address to tell messages apart, not enough to reveal it."""
    if message.sms is not None:
        try:
            return Phone.parse(message.sms.to).masked()
        except InvalidValue:
            return "•••" + message.sms.to[-2:]
    local, _, domain = message.recipient.rpartition("@")
    return f"{local[:1]}•••@{domain}"


def configured_gateways(container: Container) -> tuple[Mailer, SmsSender]:
    """The configured mailer and SMS sender, or exit 2 saying what is missing."""
    problems: list[str] = []
    mailer: Mailer | None = None
    sms_sender: SmsSender | None = None
    try:
        mailer = container.mailer()
    except SettingsError as error:
        problems.extend(error.problems)
    try:
        sms_sender = container.sms_sender()
    except SettingsError as error:
        problems.extend(error.problems)
    if mailer is None or sms_sender is None:
        click.secho(str(SettingsError(problems)), fg="red", err=True)
        raise SystemExit(EXIT_CONFIG_ERROR)
    return mailer, sms_sender


def _report_line(container: Container, tz: zoneinfo.ZoneInfo, report: DeliveryReport) -> str:
    at = container.clock().now().astimezone(tz).strftime("%H:%M:%S")
    line = (
        f"{at} отправлено: {report.sent}, повторим позже: {report.retried}, "
        f"не отправлено: {report.failed}"
    )
    if report.postponed:
        line += f", отложено: {report.postponed}"
    return line


@contextmanager
def _stop_requested() -> Iterator[threading.Event]:
    """An event set by the first Ctrl-C or SIGTERM, so that the batch in hand is finished
    and recorded (a message sent but not marked would be sent again); a second Ctrl-C
    interrupts at once."""
    stop = threading.Event()
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop.set()
        signal.signal(signal.SIGINT, signal.default_int_handler)

    for sig in previous:
        signal.signal(sig, request_stop)
    try:
        yield stop
    finally:
        for sig, handler in previous.items():
            if handler is not None:  # None: installed outside Python, cannot be restored
                signal.signal(sig, handler)
