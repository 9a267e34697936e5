"""`lk db …`: the database schema."""

from __future__ import annotations

import click

from lk_adapters.sqlalchemy.migrations import current_revision, upgrade_database
from lk_cli.context import container_from_environment
from lk_core.access.housekeeping import purge_expired
from lk_core.service_api import purge_expired_requests
from lk_core.staff.sign_in import purge_staff_sessions


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


@db.command("purge")
def purge() -> None:
    """Удалить истёкшие сессии, старые счётчики попыток и ответы на запросы API с истёкшим
    ключом идемпотентности (запускать по таймеру, раз в час)."""
    container = container_from_environment()
    upgrade_database(container.engine())
    report = purge_expired(container.access())
    click.echo(f"Удалено сессий: {report.sessions}, окон счётчиков попыток: {report.rate_windows}.")
    click.echo(f"Удалено сессий сотрудников: {purge_staff_sessions(container.staff())}.")
    requests = purge_expired_requests(container.service_api())
    click.echo(f"Удалено запросов API с истёкшим ключом идемпотентности: {requests}.")
