"""`lk worker`: runs background tasks from the PostgreSQL task queue (ADR 0057)."""

from __future__ import annotations

import logging

import click
import structlog

from lk_adapters.sqlalchemy.engine import database_is_embedded
from lk_adapters.sqlalchemy.migrations import upgrade_database
from lk_adapters.tasks.procrastinate_app import STALLED_AFTER_SECONDS, task_app
from lk_cli.context import EXIT_CONFIG_ERROR, container_from_environment
from lk_cli.outbox_command import configured_gateways


class StructlogHandler(logging.Handler):
    """procrastinate's log records as our JSON lines. A record about a job keeps its action,
    job id, task and attempt, never its text: that quotes the job's arguments (account
    keys) and its error (which may quote a message being sent)."""

    def emit(self, record: logging.LogRecord) -> None:
        job = getattr(record, "job", None)
        action = getattr(record, "action", None)
        fields: dict[str, object] = {"action": action}
        event = record.getMessage()
        if isinstance(job, dict):
            event = str(action)
            fields |= {"job_id": job.get("id"), "task": job.get("task_name")}
            fields["attempts"] = job.get("attempts")
        if record.exc_info and record.exc_info[0] is not None:
            fields["error_type"] = record.exc_info[0].__name__
        log = structlog.get_logger("lk.worker")
        level = "warning" if record.levelno >= logging.WARNING else "info"
        getattr(log, level)(event, **fields)


@click.command("worker")
@click.option(
    "--concurrency",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Сколько задач выполнять одновременно (потоки одного процесса).",
)
@click.option(
    "--stalled-after",
    type=click.FloatRange(min=1.0),
    default=STALLED_AFTER_SECONDS,
    show_default=True,
    help="Через сколько секунд без сигнала от процесса его задачи отдаются другим.",
)
def worker(concurrency: int, stalled_after: float) -> None:
    """Выполнять фоновые задачи (PostgreSQL): отправку писем, квитанции закрытия месяца,
    проверку платежей, очистку. Процессов lk worker может быть сколько угодно на любых
    серверах. Останавливается по Ctrl-C или SIGTERM, доделав начатое."""
    container = container_from_environment()
    url = container.settings().database_url
    if database_is_embedded(url):
        click.secho(
            "lk worker нужен только с PostgreSQL: с SQLite фоновые задачи выполняет "
            "сам процесс (lk serve, lk outbox run, lk period close).",
            fg="red",
            err=True,
        )
        raise SystemExit(EXIT_CONFIG_ERROR)
    configured_gateways(container)  # the outbox is delivered here: exit 2 if it cannot be
    upgrade_database(container.engine())
    _warm(container)
    handler = StructlogHandler(logging.INFO)
    procrastinate_log = logging.getLogger("procrastinate")
    procrastinate_log.addHandler(handler)
    procrastinate_log.setLevel(logging.INFO)
    # Not also to the root logger's JSON lines (lk_adapters.logging): those would repeat
    # each record with its text, which quotes the job's arguments.
    procrastinate_log.propagate = False
    log = structlog.get_logger("lk.worker").bind(command="worker")
    log.info("worker started", concurrency=concurrency, stalled_after_s=stalled_after)
    app = task_app(url, lambda: container, stalled_after=stalled_after)
    app.run_worker(concurrency=concurrency, name="lk-worker")
    log.info("worker stopped")


def _warm(container: object) -> None:
    """Build the singletons the tasks use before threads race to build them."""
    for name in ("uow_factory", "clock", "company", "receipt_renderer", "receipt_store",
                 "access", "payments"):  # fmt: skip
        getattr(container, name)()
