"""`lk db …`: the database schema."""

from __future__ import annotations

import click

from lk_adapters.sqlalchemy.migrations import current_revision, upgrade_database
from lk_cli.context import container_from_environment


@click.group("db")
def db() -> None:
    """Схема базы данных."""


@db.command("upgrade")
def upgrade() -> None:
    """Обновить схему базы данных до последней версии (миграции Alembic)."""
    container = container_from_environment()
    engine = container.engine()
    before = current_revision(engine)
    upgrade_database(engine)
    after = current_revision(engine)
    if before == after:
        click.echo(f"Схема уже актуальна ({after}).")
    else:
        click.echo(f"Схема обновлена: {before or 'пусто'} → {after}.")
