"""`lk import FILE…`: load the billing system's files (F21)."""

from __future__ import annotations

from pathlib import Path

import click

from lk_adapters.billing_files import CsvSourceFile, SourceFileError
from lk_adapters.container import Container
from lk_adapters.sqlalchemy.migrations import upgrade_database
from lk_cli.context import EXIT_BAD_DATA, container_from_environment, domain_errors_exit
from lk_cli.literal import visible
from lk_cli.progress import byte_progress
from lk_core.billing_import.kinds import FileKind
from lk_core.billing_import.loader import ImportReport, load_billing_files


def import_paths(
    container: Container, paths: list[Path], *, encoding: str | None, kind: str | None
) -> ImportReport:
    """Open and load the files in one transaction, showing progress."""
    upgrade_database(container.engine())
    files = [
        CsvSourceFile.open(path, encoding=encoding, kind=FileKind(kind) if kind else None)
        for path in paths
    ]
    try:
        with byte_progress("Загрузка") as progress:
            return load_billing_files(
                container.uow_factory(), files, tz=container.time_zone(), progress=progress
            )
    finally:
        for source in files:
            source.close()


@click.command("import")
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--encoding",
    type=click.Choice(["utf-8", "cp1251"]),
    help="Кодировка (по умолчанию определяется).",
)
@click.option(
    "--kind",
    type=click.Choice([k.value for k in FileKind]),
    help="Вид данных, если его нельзя узнать по заголовку (один для всех файлов).",
)
@domain_errors_exit
def import_files(files: tuple[Path, ...], encoding: str | None, kind: str | None) -> None:
    """Загрузить файлы биллинга: дома, услуги, счета, приборы учёта, начисления, оплаты, показания.

    Все файлы загружаются целиком или не загружаются вовсе; повторная загрузка
    тех же файлов ничего не меняет. Форматы описаны в docs/formats.md.
    """
    container = container_from_environment()
    try:
        report = import_paths(container, list(files), encoding=encoding, kind=kind)
    except SourceFileError as error:
        click.secho(visible(f"Ошибка: {error}"), fg="red", err=True)
        raise SystemExit(EXIT_BAD_DATA) from None
    if not report.loaded:
        click.secho("Ничего не загружено: в файлах есть ошибки.", fg="red", err=True)
        for problem in report.problems:
            click.echo(visible(f"  {problem}"), err=True)
        if report.truncated:
            click.echo("  … показаны первые ошибки; исправьте их и запустите снова.", err=True)
        raise SystemExit(EXIT_BAD_DATA)
    for name, count in report.rows.items():
        click.echo(visible(f"{name}: загружено строк — {count}"))
