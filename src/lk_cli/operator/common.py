"""What the operator commands share: who the operator is, the container, JSON output."""

from __future__ import annotations

import getpass
import json
from collections.abc import Callable
from typing import Any, TypeVar

import click

from lk_adapters.container import Container
from lk_adapters.sqlalchemy.migrations import upgrade_database
from lk_cli.context import container_from_environment
from lk_core.operator.operators import Operator

F = TypeVar("F", bound=Callable[..., Any])


def operator_option(command: F) -> F:
    return click.option(
        "--operator",
        "operator_name",
        metavar="ИМЯ",
        help="Кто выполняет действие (для журнала аудита); по умолчанию — пользователь ОС.",
    )(command)


def json_option(command: F) -> F:
    return click.option(
        "--json", "as_json", is_flag=True, help="Вывести JSON (для скриптов) вместо таблицы."
    )(command)


def yes_option(command: F) -> F:
    return click.option("--yes", "-y", is_flag=True, help="Не спрашивать подтверждения.")(command)


def operator_named(name: str | None) -> Operator:
    """The operator named by `--operator`, or the OS user running the command."""
    return Operator(name if name is not None else getpass.getuser())


def ready_container() -> Container:
    container = container_from_environment()
    upgrade_database(container.engine())
    return container


def print_json(value: Any) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))


def confirm_or_abort(question: str, yes: bool) -> None:
    """Ask before acting unless `--yes`; without a terminal to ask, refuse (exit 1)."""
    if not yes:
        click.confirm(question, abort=True, err=True)
