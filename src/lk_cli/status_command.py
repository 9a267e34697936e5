"""`lk status`: what the portal holds."""

from __future__ import annotations

import click

from lk_adapters.sqlalchemy.migrations import upgrade_database
from lk_cli.context import container_from_environment
from lk_core.billing_import.data_summary import summarise_data


@click.command("status")
def status() -> None:
    """Показать, какие данные загружены."""
    container = container_from_environment()
    upgrade_database(container.engine())
    summary = summarise_data(container.uow_factory())
    click.echo(f"Домов: {summary.houses}")
    click.echo(f"Лицевых счетов: {summary.accounts}")
    click.echo(f"Строк начислений: {summary.ledger_lines}")
    click.echo("Открытые периоды: " + (", ".join(map(str, summary.open_periods)) or "нет"))
    click.echo("Закрытые периоды: " + (", ".join(map(str, summary.closed_periods)) or "нет"))
