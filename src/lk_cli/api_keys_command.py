"""`lk api-keys create|list|revoke`: keys of the company's other systems for the service API
(F28). Creating and revoking are audited with the operator's name (ADR 0030)."""

from __future__ import annotations

import datetime as dt

import click
from rich.console import Console
from rich.table import Table

from lk_cli.context import domain_errors_exit
from lk_cli.literal import literal, visible
from lk_cli.operator.common import (
    confirm_or_abort,
    json_option,
    operator_named,
    operator_option,
    print_json,
    ready_container,
    yes_option,
)
from lk_cli.operator.views import local
from lk_core.service_api import ApiKey, Scope, create_api_key, list_api_keys, revoke_api_key

SCOPES_HELP = ", ".join(scope.value for scope in Scope)


def _scopes(key: ApiKey) -> str:
    return " ".join(sorted(scope.value for scope in key.scopes))


def _moment(value: dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _key_json(key: ApiKey) -> dict[str, object]:
    return {
        "id": key.id,
        "name": key.name,
        "scopes": sorted(scope.value for scope in key.scopes),
        "created_at": key.created_at.isoformat(),
        "created_by": key.created_by,
        "last_used_at": _moment(key.last_used_at),
        "revoked_at": _moment(key.revoked_at),
    }


@click.group("api-keys")
def api_keys() -> None:
    """Ключи API для других систем компании (биллинг, колл-центр, платёжный шлюз)."""


@api_keys.command("create")
@click.option("--name", required=True, help="Название ключа: какая система им пользуется.")
@click.option(
    "--scopes", required=True, metavar="ОБЛАСТИ",
    help=f"Через запятую: {SCOPES_HELP}.",
)  # fmt: skip
@json_option
@operator_option
@domain_errors_exit
def create(name: str, scopes: str, as_json: bool, operator_name: str | None) -> None:
    """Создать ключ. Секрет показывается один раз: сохраните его сразу.

    В базе хранится только хеш ключа; потерянный ключ не восстановить — отзовите его и
    создайте новый.
    """
    operator = operator_named(operator_name)
    chosen = Scope.parse(scopes)
    container = ready_container()
    issued = create_api_key(container.service_api(), operator, name, chosen)
    if as_json:
        print_json({**_key_json(issued.key), "secret": issued.secret})
        return
    click.echo(
        visible(
            f"Ключ «{issued.key.name}» создан: {issued.key.id}, области: {_scopes(issued.key)}."
        )
    )
    click.echo("Секрет (показывается один раз, больше его не увидеть):")
    click.echo(issued.secret)


@api_keys.command("list")
@json_option
@domain_errors_exit
def list_keys(as_json: bool) -> None:
    """Показать ключи: названия, области, когда созданы, использованы и отозваны."""
    container = ready_container()
    keys = list_api_keys(container.service_api())
    if as_json:
        print_json([_key_json(key) for key in keys])
        return
    if not keys:
        click.echo("Ключей нет.")
        return
    tz = container.time_zone()
    table = Table(title=f"Ключей API: {len(keys)}")
    for column in ("Ключ", "Название", "Области", "Создан", "Кем", "Использован", "Отозван"):
        table.add_column(column)
    for key in keys:
        table.add_row(
            literal(key.id), literal(key.name), literal(_scopes(key)),
            local(key.created_at, tz), literal(key.created_by),
            local(key.last_used_at, tz), local(key.revoked_at, tz),
        )  # fmt: skip
    Console().print(table)


@api_keys.command("revoke")
@click.argument("key_id")
@yes_option
@json_option
@operator_option
@domain_errors_exit
def revoke(key_id: str, yes: bool, as_json: bool, operator_name: str | None) -> None:
    """Отозвать ключ: запросы с ним отклоняются сразу же."""
    operator = operator_named(operator_name)
    container = ready_container()
    confirm_or_abort(
        f"Отозвать ключ API {key_id}? Система, которая им пользуется, потеряет доступ.", yes
    )
    revoked = revoke_api_key(container.service_api(), operator, key_id)
    if as_json:
        print_json({"id": key_id, "revoked": True, "already": not revoked})
        return
    click.echo(visible(f"Ключ {key_id} отозван." if revoked else f"Ключ {key_id} уже был отозван."))
