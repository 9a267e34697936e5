"""`lk notify`: service messages to residents who opted in (F26)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs
import click
from rich.console import Console
from rich.panel import Panel
from rich.table import Table

from lk_adapters.tasks.catalogue import SEND_CAMPAIGN, campaign_arguments
from lk_adapters.tasks.configured import queued_elsewhere
from lk_cli.context import domain_errors_exit
from lk_cli.literal import literal
from lk_cli.operator.common import (
    confirm_or_abort,
    json_option,
    operator_named,
    operator_option,
    print_json,
    ready_container,
    yes_option,
)
from lk_cli.operator.inputs import read_account_list, read_template
from lk_cli.progress import tally_progress
from lk_core.accounts.contacts import Phone
from lk_core.kernel.money import Money
from lk_core.messaging.notices import masked_email
from lk_core.operator.audiences import Channel
from lk_core.operator.directory import Audience
from lk_core.operator.service_messages import NotifyReport, NotifyRequest, send_service_messages

COLUMNS = ("Канал", "Получат", "Уже в очереди", "Отказались", "Нет подтверждённого контакта")


@click.command("notify")
@click.option(
    "--template",
    "template_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Файл шаблона сообщения (UTF-8), см. docs/service-messages.md.",
)
@click.option("--text", help="Текст сообщения вместо файла шаблона (те же поля {name} …).")
@click.option("--sms", is_flag=True, help="SMS тем, кто подключил смс-информирование.")
@click.option("--email", is_flag=True, help="Письмо тем, кто подключил информирование по e-mail.")
@click.option("--all", "everyone", is_flag=True, help="Всем счетам.")
@click.option("--house", metavar="КОД", help="Счетам дома с этим кодом.")
@click.option(
    "--accounts", "account_list", metavar="НОМЕРА", help="Счетам из списка через запятую."
)
@click.option(
    "--accounts-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Счетам из файла: по номеру в строке.",
)
@click.option(
    "--min-debt", metavar="РУБЛИ", help="Только тем, чей долг не меньше суммы (1500 или 1500,50)."
)
@click.option(
    "--campaign",
    default="",
    metavar="ИМЯ",
    help="Имя рассылки: повторный запуск с тем же именем никому не отправит дважды "
    "(по умолчанию — отпечаток текста шаблона).",
)
@click.option(
    "--sms-per-minute",
    type=click.IntRange(1, 6000),
    default=60,
    show_default=True,
    help="Сколько SMS в минуту отдавать шлюзу.",
)
@click.option(
    "--dry-run", is_flag=True, help="Ничего не отправлять: показать, сколько получат, и пример."
)
@yes_option
@json_option
@operator_option
@domain_errors_exit
def notify(**options: Any) -> None:
    """Разослать служебное сообщение (долг, тарифы, отключения) по SMS и/или e-mail.

    Получат только подключившие информирование по этому каналу и давшие согласие на
    указанный сейчас телефон или e-mail; остальные пропускаются и считаются. Сообщения
    встают в очередь; отправляет их `lk outbox run` или `lk worker`. На PostgreSQL с
    запущенными `lk worker` очередь сообщений наполняют они, а команда сразу завершается.
    """
    operator = operator_named(options["operator_name"])
    channels = tuple(c for c in Channel if options[c.value])
    if not channels:
        raise click.UsageError("Укажите канал: --sms и/или --email.")
    template = read_template(options["template_path"], options["text"])
    audience = _audience(options)
    container = ready_container()
    request = NotifyRequest(
        audience, channels, template, container.company().name, options["campaign"],
        options["sms_per_minute"], dry_run=True,
    )  # fmt: skip
    uow_factory, clock = container.uow_factory(), container.clock()
    if options["dry_run"] or not options["yes"]:
        with tally_progress("Подсчёт получателей") as progress:
            report = send_service_messages(uow_factory, clock, operator, request, progress)
        if options["dry_run"] or not options["as_json"]:
            _show(report, options["as_json"])
        if options["dry_run"]:
            return
        total = sum(counts.queued for counts in report.counts.values())
        confirm_or_abort(f"Поставить в очередь сообщений: {total}?", yes=False)
    sending = attrs.evolve(request, dry_run=False)
    queue = container.task_queue()
    if queued_elsewhere(queue):
        queue.enqueue(SEND_CAMPAIGN, **campaign_arguments(sending, operator))
        if options["as_json"]:
            print_json({"campaign": sending.campaign_key, "handed_to_workers": True})
        else:
            click.echo(
                f"Рассылка {sending.campaign_key} передана фоновым процессам (lk worker). "
                "Ход — в их журнале, сообщения — lk outbox list."
            )
        return
    with tally_progress("Рассылка") as progress:
        sent = send_service_messages(uow_factory, clock, operator, sending, progress)
    _show(sent, options["as_json"])


def _audience(options: dict[str, Any]) -> Audience:
    keys: set[str] | None = None
    if options["account_list"] is not None:
        keys = set(read_account_list(options["account_list"].split(","), "--accounts"))
    if options["accounts_file"] is not None:
        path: Path = options["accounts_file"]
        lines = path.read_text(encoding="utf-8-sig").splitlines()
        keys = (keys or set()) | set(read_account_list(lines, str(path)))
    min_debt = Money.parse(options["min_debt"]) if options["min_debt"] is not None else None
    if not (options["everyone"] or options["house"] or keys is not None or min_debt):
        raise click.UsageError(
            "Укажите, кому: --all, --house, --accounts, --accounts-file или --min-debt."
        )
    return Audience(options["house"], frozenset(keys) if keys is not None else None, min_debt)


def _masked(channel: Channel, to: str) -> str:
    return Phone(to).masked() if channel is Channel.SMS else masked_email(to)


def _report_json(report: NotifyReport) -> dict[str, Any]:
    sample = report.sample
    return {
        "dry_run": report.dry_run,
        "campaign": report.campaign,
        "selected": report.selected,
        "channels": {
            channel.value: {
                "queued": counts.queued,
                "already_queued": counts.already_queued,
                "opted_out": counts.opted_out,
                "no_contact": counts.no_contact,
            }
            for channel, counts in report.counts.items()
        },
        "sample": None
        if sample is None
        else {
            "channel": sample.channel.value,
            "account": sample.account_key,
            "to": _masked(sample.channel, sample.to),
            "subject": sample.subject,
            "text": sample.text,
        },
    }


def _show(report: NotifyReport, as_json: bool) -> None:
    if as_json:
        print_json(_report_json(report))
        return
    console = Console()
    verb = "Выбрано счетов (пробный прогон)" if report.dry_run else "Обработано счетов"
    console.print(literal(f"{verb}: {report.selected}. Рассылка: {report.campaign}"))
    table = Table()
    for column in COLUMNS:
        table.add_column(column)
    for channel, counts in report.counts.items():
        table.add_row(
            channel.label_ru, str(counts.queued),
            "—" if report.dry_run else str(counts.already_queued),
            str(counts.opted_out), str(counts.no_contact),
        )  # fmt: skip
    console.print(table)
    if report.dry_run and report.sample is not None:
        sample = report.sample
        to = _masked(sample.channel, sample.to)
        title = f"Пример: счёт {sample.account_key}, {sample.channel.label_ru} {to}"
        body = (f"Тема: {sample.subject}\n\n" if sample.subject else "") + sample.text
        console.print(Panel(literal(body), title=literal(title)))
