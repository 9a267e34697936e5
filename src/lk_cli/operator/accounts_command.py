"""`lk accounts find|show|reset|resend`: operator support (F25)."""

from __future__ import annotations

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
from lk_cli.operator.views import (
    CONSENT_NAMES,
    EVENT_NAMES,
    card_json,
    found_json,
    local,
    named,
    registration_text,
)
from lk_core.operator.support import (
    account_card,
    find_accounts,
    resend_confirmation,
    reset_registration,
)


@click.group("accounts")
def accounts() -> None:
    """Поиск лицевых счетов и помощь жителям с регистрацией."""


@accounts.command("find")
@click.argument("query")
@click.option(
    "--limit", type=click.IntRange(1, 1000), default=50, show_default=True,
    help="Сколько счетов показать самое большее.",
)  # fmt: skip
@json_option
@operator_option
@domain_errors_exit
def find(query: str, limit: int, as_json: bool, operator_name: str | None) -> None:
    """Найти счета по началу номера, фамилии, части адреса или e-mail.

    Каждый показанный счёт записывается в журнал аудита как просмотр оператором.
    """
    operator = operator_named(operator_name)
    container = ready_container()
    found = find_accounts(container.uow_factory(), container.clock(), operator, query, limit)
    if as_json:
        print_json([found_json(item) for item in found])
        return
    if not found:
        click.echo("Ничего не найдено.")
        return
    tz = container.time_zone()
    table = Table(title=f"Найдено счетов: {len(found)}")
    for column in ("Счёт", "Плательщик", "Адрес", "E-mail", "Регистрация"):
        table.add_column(column)
    for item in found:
        email = item.registration.email if item.registration else item.account.email
        table.add_row(
            literal(item.account.number),
            literal(item.account.payer_name),
            literal(item.address),
            literal(email if email is not None else "—"),
            literal(registration_text(item.registration, tz)),
        )
    Console().print(table)


@accounts.command("show")
@click.argument("number")
@json_option
@operator_option
@domain_errors_exit
def show(number: str, as_json: bool, operator_name: str | None) -> None:
    """Показать счёт: регистрацию, привязанные счета, события безопасности и согласия.

    Пароли, ссылки и коды не показываются никогда. Просмотр записывается в журнал аудита.
    """
    operator = operator_named(operator_name)
    container = ready_container()
    card = account_card(container.uow_factory(), container.clock(), operator, number)
    if as_json:
        print_json(card_json(card))
        return
    tz = container.time_zone()
    account, registration = card.found.account, card.found.registration
    console = Console()
    about = Table(title=literal(f"Лицевой счёт {account.number}"), show_header=False)
    about.add_column("", style="bold")
    about.add_column("")
    rows = [
        ("Плательщик", account.payer_name),
        ("Адрес", card.found.address),
        ("Долг на конец периода", card.member.debt.format()),
        ("Телефон в счёте", str(account.phone) if account.phone else "—"),
        ("E-mail в счёте", str(account.email) if account.email else "—"),
        ("Счёт", account.delivery.label_ru),
        ("Смс-информирование", "да" if account.sms_informing else "нет"),
        ("Информирование по e-mail", "да" if account.email_informing else "нет"),
        ("Регистрация", registration_text(registration, tz)),
    ]
    if registration is not None:
        rows.append(("E-mail для входа", str(registration.email)))
        rows.append(("Телефон (смс)", str(registration.phone) if registration.phone else "—"))
    for label, value in rows:
        about.add_row(label, literal(value))
    console.print(about)
    links = Table(title="Привязанные счета")
    links.add_column("Счёт")
    links.add_column("Привязан")
    for link in card.links:
        links.add_row(literal(link.account_key), local(link.linked_at, tz))
    console.print(links if card.links else "Привязанных счетов нет.")
    events = Table(title="Последние события безопасности (новые сверху)")
    for column in ("Когда", "Событие", "Кто", "IP", "Подробности"):
        events.add_column(column)
    for event in card.events:
        details = ", ".join(f"{key}={value}" for key, value in event.details)
        kind = named(EVENT_NAMES, event.kind.value)
        events.add_row(
            local(event.at, tz), literal(kind), literal(event.actor), literal(event.ip),
            literal(details),
        )  # fmt: skip
    console.print(events)
    consents = Table(title="Согласия")
    for column in ("Когда", "Согласие", "Дано", "Адрес", "Версия текста"):
        consents.add_column(column)
    for consent in card.consents:
        consents.add_row(
            local(consent.at, tz), literal(named(CONSENT_NAMES, consent.kind.value)),
            "дано" if consent.given else "отозвано",
            literal(consent.address or "—"), literal(consent.text_version),
        )  # fmt: skip
    console.print(consents if card.consents else "Согласий нет.")


@accounts.command("reset")
@click.argument("number")
@click.option("--reason", required=True, help="Почему сбрасывается регистрация (в журнал аудита).")
@yes_option
@json_option
@operator_option
@domain_errors_exit
def reset(number: str, reason: str, yes: bool, as_json: bool, operator_name: str | None) -> None:
    """Сбросить регистрацию счёта, чтобы житель зарегистрировался заново.

    Для жителя, у которого сменился e-mail («обратиться к оператору в офис»): регистрация
    удаляется, его сеансы завершаются, выданные ссылки и коды перестают действовать,
    привязанные к кабинету счета отвязываются.
    """
    operator = operator_named(operator_name)
    container = ready_container()
    confirm_or_abort(
        f"Сбросить регистрацию лицевого счёта {number}? Житель сможет зарегистрироваться "
        "заново, его сеансы завершатся.",
        yes,
    )
    done = reset_registration(container.uow_factory(), container.clock(), operator, number, reason)
    if as_json:
        print_json(
            {
                "number": number,
                "reset": True,
                "email": done.email_masked,
                "sessions_ended": done.sessions_ended,
                "secrets_voided": done.secrets_voided,
                "links_removed": done.links_removed,
            }
        )
        return
    click.echo(
        visible(
            f"Регистрация счёта {number} ({done.email_masked}) сброшена. Завершено сеансов: "
            f"{done.sessions_ended}, аннулировано ссылок и кодов: {done.secrets_voided}, "
            f"отвязано счетов: {done.links_removed}."
        )
    )


@accounts.command("resend")
@click.argument("number")
@yes_option
@json_option
@operator_option
@domain_errors_exit
def resend(number: str, yes: bool, as_json: bool, operator_name: str | None) -> None:
    """Отправить заново письмо для подтверждения регистрации (прежняя ссылка перестанет
    действовать). Письмо отправит `lk outbox run`."""
    operator = operator_named(operator_name)
    container = ready_container()
    confirm_or_abort(f"Отправить письмо для подтверждения регистрации счёта {number}?", yes)
    sent_to = resend_confirmation(container.access(), operator, number)
    if as_json:
        print_json({"number": number, "resent": True, "email": sent_to})
        return
    click.echo(f"Письмо со ссылкой поставлено в очередь: {visible(sent_to)}.")
