"""`lk demo`: the demo company, loaded through the same import path as real data (F29)."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from lk_adapters.demo import demo_accounts_to_try, write_demo_files
from lk_adapters.sqlalchemy.migrations import upgrade_database
from lk_cli.context import EXIT_BAD_DATA, container_from_environment, domain_errors_exit
from lk_cli.import_command import import_paths
from lk_cli.literal import literal, visible
from lk_cli.period_command import close_recent_months
from lk_core.accounts.account import AccountNumber
from lk_core.billing_import.data_summary import summarise_data
from lk_core.billing_import.kinds import FileKind
from lk_core.kernel.periods import Period
from lk_core.receipts.month_close import freeze_period


@click.command("demo")
@click.option(
    "--folder",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("var/demo-data"),
    show_default=True,
    help="Куда записать файлы демо-компании.",
)
@domain_errors_exit
def demo(folder: Path) -> None:
    """Загрузить демо-компанию: дома, ~300 счетов, 12 закрытых месяцев, приборы учёта."""
    container = container_from_environment()
    upgrade_database(container.engine())
    clock = container.clock()
    if summarise_data(container.uow_factory()).is_empty:
        today = clock.now().astimezone(container.time_zone()).date()
        paths = write_demo_files(folder, today=today)
        report = import_paths(container, paths, encoding=None, kind=None)
        if not report.loaded:
            for problem in report.problems:
                click.echo(visible(f"  {problem}"), err=True)
            raise SystemExit(EXIT_BAD_DATA)
        current = Period.of(today)
        for period in sorted(summarise_data(container.uow_factory()).open_periods):
            if period < current:
                freeze_period(container.uow_factory(), clock, period)
        close_recent_months(container, container.policies().receipts_shown)
    else:
        click.echo("Данные уже загружены — демо-компания не загружается повторно.")
    summary = summarise_data(container.uow_factory())
    click.echo(
        f"Домов: {summary.houses}, лицевых счетов: {summary.accounts}, "
        f"строк начислений: {summary.ledger_lines}, закрытых периодов: "
        f"{len(summary.closed_periods)}."
    )
    if not (folder / f"{FileKind.ACCOUNTS.value}.csv").exists():
        click.echo(f"Файлов демо-компании в {folder} нет: счета для пробы не подобрать.")
        return
    with container.uow_factory()(read_only=True) as uow:
        pairs = demo_accounts_to_try(
            folder,
            taken=lambda number: uow.registrations.get(AccountNumber.parse(number).key) is not None,
        )
    if not pairs:
        click.echo("Все счета для пробы уже зарегистрированы: входите с их паролями.")
        return
    table = Table(title="Счета для пробы (первый вход: номер счёта и фамилия)")
    table.add_column("Лицевой счёт")
    table.add_column("Фамилия")
    for number, surname in pairs:
        table.add_row(literal(number), literal(surname))
    Console().print(table)
