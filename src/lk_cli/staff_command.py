"""`lk staff create|disable|reset|list|reseal`: staff accounts of the desk (F32, ADR 0065).

Passwords are typed at a hidden prompt (twice) or read from standard input with
`--password-stdin` (the first line), never taken as an argument: arguments show in `ps`
and in shell history. `create` and `reset` print a one-time enrolment code, valid 24 hours,
that the member types with the password at the first sign-in (ADR 0072); it is printed
once and stored only hashed. Every change is audited with the operator's name (ADR 0030).
"""

from __future__ import annotations

import sys

import click
from rich.console import Console
from rich.table import Table

from lk_cli.context import domain_errors_exit
from lk_cli.literal import literal
from lk_cli.operator.common import operator_named, operator_option, ready_container
from lk_core.staff.administration import (
    create_staff,
    disable_staff,
    list_staff,
    reseal_staff_secrets,
    reset_staff,
)
from lk_core.staff.members import StaffRole


def _password(from_stdin: bool) -> tuple[str, str]:
    if from_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        return line, line
    password = click.prompt("Пароль", hide_input=True, err=True)
    confirmation = click.prompt("Пароль ещё раз", hide_input=True, err=True)
    return password, confirmation


def _show_enrolment_code(code: str) -> None:
    click.echo(f"Код подключения (действует 24 часа, показывается один раз): {code}")
    click.echo(
        "Передайте его сотруднику лично вместе с паролем: при первом входе он введёт код "
        "и подключит приложение-аутентификатор."
    )


@click.group("staff")
def staff() -> None:
    """Учётные записи сотрудников для рабочего места диспетчера (/office)."""


@staff.command("create")
@click.argument("login")
@click.option("--name", default="", help="Имя сотрудника, как его показывать.")
@click.option(
    "--role", type=click.Choice([role.value for role in StaffRole]), default="dispatcher",
    show_default=True, help="dispatcher — диспетчер, admin — администратор (видит журнал).",
)  # fmt: skip
@click.option("--password-stdin", is_flag=True, help="Прочитать пароль из первой строки stdin.")
@operator_option
@domain_errors_exit
def create(
    login: str, name: str, role: str, password_stdin: bool, operator_name: str | None
) -> None:
    """Создать сотрудника и выдать код подключения второго фактора (TOTP) для первого входа."""
    operator = operator_named(operator_name)
    password, confirmation = _password(password_stdin)
    container = ready_container()
    made = create_staff(
        container.staff(), operator.actor, login, name, StaffRole(role), password, confirmation
    )
    click.echo(f"Сотрудник {made.member.login} ({made.member.role.label_ru}) создан.")
    _show_enrolment_code(made.enrolment_code)


@staff.command("disable")
@click.argument("login")
@operator_option
@domain_errors_exit
def disable(login: str, operator_name: str | None) -> None:
    """Отключить сотрудника: войти он больше не сможет, его сеансы завершаются."""
    operator = operator_named(operator_name)
    container = ready_container()
    change = disable_staff(container.staff(), operator.actor, login)
    click.echo(
        f"Сотрудник {change.member.login} отключён; завершено сеансов: {change.sessions_ended}."
    )


@staff.command("reset")
@click.argument("login")
@click.option("--password-stdin", is_flag=True, help="Прочитать пароль из первой строки stdin.")
@operator_option
@domain_errors_exit
def reset(login: str, password_stdin: bool, operator_name: str | None) -> None:
    """Задать новый пароль, сбросить второй фактор и резервные коды, выдать новый код
    подключения: при входе сотрудник подключит приложение заново."""
    operator = operator_named(operator_name)
    password, confirmation = _password(password_stdin)
    container = ready_container()
    change = reset_staff(container.staff(), operator.actor, login, password, confirmation)
    click.echo(
        f"Пароль сотрудника {change.member.login} изменён, второй фактор и резервные коды "
        f"сброшены; завершено сеансов: {change.sessions_ended}."
    )
    if change.enrolment_code:
        _show_enrolment_code(change.enrolment_code)


@staff.command("reseal")
@operator_option
@domain_errors_exit
def reseal(operator_name: str | None) -> None:
    """Перешифровать ключи TOTP текущим LK_SECRET_KEY (после смены ключа, ADR 0072)."""
    operator = operator_named(operator_name)
    container = ready_container()
    count = reseal_staff_secrets(container.staff(), operator.actor)
    click.echo(f"Перешифровано ключей: {count}.")


@staff.command("list")
@domain_errors_exit
def list_command() -> None:
    """Показать сотрудников."""
    container = ready_container()
    table = Table(title="Сотрудники")
    for column in ("Логин", "Имя", "Роль", "Второй фактор", "Состояние"):
        table.add_column(column)
    for member in list_staff(container.staff()):
        table.add_row(
            literal(member.login),
            literal(member.name),
            member.role.label_ru,
            "подключён" if member.is_enrolled else "не подключён",
            "активен" if member.is_active else "отключён",
        )
    Console().print(table)
