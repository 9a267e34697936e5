"""`lk readings`: readings exchanged with the billing system (F23)."""

from __future__ import annotations

import os
from pathlib import Path

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from lk_adapters.billing_files import CsvSourceFile, SourceFileError
from lk_adapters.billing_files.readings_export import write_readings
from lk_adapters.sqlalchemy.migrations import upgrade_database
from lk_cli.context import EXIT_BAD_DATA, container_from_environment, domain_errors_exit
from lk_cli.literal import visible
from lk_cli.progress import byte_progress
from lk_core.billing_import.kinds import FileKind
from lk_core.billing_import.readings_exchange import import_reading_results, pending_readings
from lk_core.kernel.errors import DomainError
from lk_core.kernel.periods import Period

ENCODINGS = {"utf-8": "utf-8-sig", "cp1251": "cp1251"}


def _period(_ctx: click.Context, _param: click.Parameter, text: str) -> Period:
    try:
        return Period.parse(text)
    except DomainError as error:
        raise click.BadParameter(error.message_ru) from None


@click.group()
def readings() -> None:
    """Показания приборов учёта: выгрузка в биллинг и загрузка результатов расчёта."""


@readings.command("export")
@click.option("--period", required=True, callback=_period, help="Период, ГГГГ-ММ.")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Файл (по умолчанию readings-ГГГГ-ММ.csv в текущей папке).",
)
@click.option(
    "--encoding", type=click.Choice(sorted(ENCODINGS)), default="utf-8", show_default=True
)
@domain_errors_exit
def export_readings(period: Period, output: Path | None, encoding: str) -> None:
    """Выгрузить принятые показания периода для биллинга (формат — docs/formats.md).

    Выгружаются показания, переданные жителями и ещё не рассчитанные. Файл пишется
    целиком или не появляется вовсе.
    """
    container = container_from_environment()
    upgrade_database(container.engine())
    target = output or Path(f"readings-{period}.csv")
    partial = target.with_name(target.name + ".part")
    progress = Progress(
        TextColumn("[bold]Выгрузка показаний"), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(),
    )  # fmt: skip
    task = progress.add_task("export", total=None)
    try:
        with progress, partial.open("w", encoding=ENCODINGS[encoding], newline="") as file:
            count = write_readings(
                file,
                pending_readings(container.uow_factory(), period),
                container.time_zone(),
                lambda done: progress.update(task, completed=done),
            )
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    click.echo(f"{target}: выгружено показаний — {count}")


@readings.command("import-results")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--encoding", type=click.Choice(["utf-8", "cp1251"]), help="По умолчанию — определяется."
)
@domain_errors_exit
def import_results(file: Path, encoding: str | None) -> None:
    """Загрузить результаты расчёта: «Рассчитано» или «Отклонено» с причиной, и показания,
    снятые оператором, контролёром, по среднему или по нормативу.

    Файл загружается целиком или не загружается вовсе; повторная загрузка ничего не меняет.
    """
    container = container_from_environment()
    upgrade_database(container.engine())
    try:
        with (
            CsvSourceFile.open(file, kind=FileKind.READINGS, encoding=encoding) as source,
            byte_progress("Загрузка результатов") as progress,
        ):
            report = import_reading_results(
                container.uow_factory(), source, tz=container.time_zone(), progress=progress
            )
    except SourceFileError as error:
        click.secho(visible(f"Ошибка: {error}"), fg="red", err=True)
        raise SystemExit(EXIT_BAD_DATA) from None
    if not report.applied:
        click.secho("Ничего не загружено: в файле есть ошибки.", fg="red", err=True)
        for problem in report.problems:
            click.echo(visible(f"  {problem}"), err=True)
        raise SystemExit(EXIT_BAD_DATA)
    click.echo(
        f"Рассчитано — {report.calculated}, отклонено — {report.rejected}, "
        f"загружено снятых биллингом — {report.loaded}, без изменений — {report.unchanged}"
    )
