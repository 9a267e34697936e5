"""`lk period close YYYY-MM` (F22) and `lk receipts import DIR`: receipts of closed months."""

from __future__ import annotations

import time
from pathlib import Path

import click
import structlog

from lk_adapters.container import Container
from lk_adapters.sqlalchemy.migrations import upgrade_database
from lk_adapters.sqlalchemy.month_close_progress import RecordedProgress
from lk_cli.context import EXIT_BAD_DATA, container_from_environment, domain_errors_exit
from lk_cli.literal import visible
from lk_cli.progress import count_progress
from lk_core.kernel.errors import InvalidValue
from lk_core.kernel.periods import Period
from lk_core.kernel.runtime import no_progress
from lk_core.receipts.month_close import BATCH, close_month
from lk_core.receipts.receipt_import import ReceiptFile, import_receipts


def _period(text: str) -> Period:
    try:
        return Period.parse(text)
    except InvalidValue as error:
        raise click.BadParameter(error.message_ru) from None


@click.group("period")
def period() -> None:
    """Отчётные периоды: закрытие месяца."""


@period.command("close")
@click.argument("month", metavar="ГГГГ-ММ")
@click.option(
    "--batch",
    type=click.IntRange(1, 10_000),
    default=BATCH,
    show_default=True,
    help="Сколько счетов в одном пакете (пакет делает один процесс).",
)
@domain_errors_exit
def close(month: str, batch: int) -> None:
    """Закрыть месяц: запретить загрузку в него, сделать квитанции всех счетов, поставить
    в очередь письма тем, кто выбрал счёт по e-mail. Прерванное закрытие продолжается
    повторным запуском. На PostgreSQL с запущенными lk worker пакеты делают они, на любых
    серверах; иначе — процессы этой машины."""
    chosen = _period(month)
    container = container_from_environment()
    upgrade_database(container.engine())
    runner = container.month_close_runner()
    log = structlog.get_logger().bind(command="period close", period=str(chosen))
    log.info("period close started", by="lk worker" if runner.queued else "this machine")
    started = time.perf_counter()
    with count_progress(f"Квитанции за {chosen.label_ru}", "квит.") as bar:
        # Also kept in the database, for the metrics of every host (ADR 0056).
        progress = RecordedProgress(container.engine(), container.clock(), chosen, bar)
        report = close_month(
            container.uow_factory(), container.clock(), container.company(),
            container.receipt_store(), runner, chosen, progress, batch,
        )  # fmt: skip
    log.info(
        "period closed", accounts=report.accounts, rendered=report.rendered,
        already_stored=report.already_stored, seconds=round(time.perf_counter() - started, 1),
    )  # fmt: skip
    click.echo(
        f"Период {chosen} закрыт. Счетов: {report.accounts}, квитанций сделано сейчас: "
        f"{report.rendered}, было готово раньше: {report.already_stored}."
    )


def close_recent_months(container: Container, count: int) -> None:
    """Make the receipts of the last `count` closed months (the demo company's start)."""
    with container.uow_factory()(read_only=True) as uow:
        closed = [p.period for p in uow.periods.list() if p.is_closed]
    for chosen in closed[-count:]:
        close_month(
            container.uow_factory(), container.clock(), container.company(),
            container.receipt_store(), container.month_close_runner(), chosen, no_progress(),
        )  # fmt: skip


@click.group("receipts")
def receipts() -> None:
    """Квитанции, сделанные вне личного кабинета."""


@receipts.command("import")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@domain_errors_exit
def import_receipt_files(folder: Path) -> None:
    """Прикрепить готовые PDF-квитанции из папки к счетам и закрытым месяцам. Имя файла:
    <лицевой счёт>_<ГГГГ-ММ>.pdf, например 100234-А_2026-10.pdf. При любой ошибке ничего
    не загружается."""
    container = container_from_environment()
    upgrade_database(container.engine())
    files = [
        ReceiptFile(path.name, path.stat().st_size, path.read_bytes)
        for path in sorted(folder.iterdir())
        if path.is_file() and not path.name.startswith(".")
    ]
    with count_progress("Квитанции", "файл.") as progress:
        report = import_receipts(
            container.uow_factory(), container.receipt_store(), files, progress
        )
    if report.problems:
        for problem in report.problems:
            click.secho(visible(f"{folder / problem}"), fg="red", err=True)
        click.secho("Ничего не загружено: исправьте файлы и повторите.", fg="red", err=True)
        raise SystemExit(EXIT_BAD_DATA)
    click.echo(f"Загружено квитанций: {report.imported}.")
