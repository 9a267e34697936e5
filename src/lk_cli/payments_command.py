"""`lk payments …`: bank payment registries and reconciliation (F24), and the verifier of
provider notifications (ADR 0053)."""

from __future__ import annotations

import datetime as dt
import json
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from lk_adapters.payments.verifier import PaymentVerifier
from lk_adapters.registries import (
    RegistryFileError,
    RegistryFormatError,
    bank_format,
    read_registry,
)
from lk_adapters.settings import SettingsError
from lk_adapters.sqlalchemy.migrations import upgrade_database
from lk_cli.context import (
    EXIT_BAD_DATA,
    EXIT_CONFIG_ERROR,
    container_from_environment,
    domain_errors_exit,
)
from lk_cli.literal import literal, visible
from lk_cli.progress import count_progress
from lk_core.payments.registry import RegistryLine, RegistryOutcome
from lk_core.payments.registry_import import (
    Reconciliation,
    RegistryRejected,
    import_registry,
    reconcile,
)
from lk_core.payments.verification import Verified


@click.group("payments")
def payments() -> None:
    """Платежи: реестры банков, сверка, проверка уведомлений платёжного сервиса."""


@payments.command("import-registry")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--bank", required=True, help="Банк, чей это реестр (sberbank или настроенный).")
@domain_errors_exit
def import_registry_command(file: Path, bank: str) -> None:
    """Загрузить реестр платежей банка (CSV с «;», Windows-1251).

    Реестр загружается целиком или не загружается вовсе; повторная загрузка ничего не
    меняет. Платёж, который уже пришёл от платёжного сервиса, второй раз не зачисляется.
    Формат описан в docs/formats.md.
    """
    container = container_from_environment()
    settings = container.settings()
    try:
        fmt = bank_format(bank, settings.payments.banks)
    except KeyError:
        known = sorted({"sberbank", *settings.payments.banks})
        click.secho(
            f"Ошибка: банк «{bank}» не описан; известны: {', '.join(known)}", fg="red", err=True
        )
        raise SystemExit(EXIT_CONFIG_ERROR) from None
    except RegistryFormatError as error:
        click.secho(f"Ошибка в LK_PAYMENTS_BANKS ({bank}): {error}", fg="red", err=True)
        raise SystemExit(EXIT_CONFIG_ERROR) from None
    try:
        entries = read_registry(file, fmt)
    except RegistryFileError as error:
        _refused(file, [(line, column, message) for line, column, message in error.problems])
    upgrade_database(container.engine())
    context = container.payments()
    try:
        with count_progress("Реестр", "строк") as progress:
            report = import_registry(
                container.uow_factory(), container.clock(), bank, file.name, entries,
                context.registry_providers, progress,
            )  # fmt: skip
    except RegistryRejected as error:
        _refused(file, [(line, 0, message) for line, message in error.problems])
    click.echo(
        visible(f"{file.name}: строк — {report.lines}, уже загружены раньше — {report.repeated}")
    )
    for outcome in RegistryOutcome:
        if report.outcomes[outcome]:
            click.echo(f"  {outcome.label_ru}: {report.outcomes[outcome]}")


def _refused(file: Path, problems: list[tuple[int, int, str]]) -> None:
    click.secho("Реестр не загружен, ничего не изменено:", fg="red", err=True)
    for line, column, message in problems:
        place = f"{file}:{line}" + (f":{column}" if column else "")
        click.echo(visible(f"  {place}: {message}"), err=True)
    raise SystemExit(EXIT_BAD_DATA)


@payments.command("reconcile")
@click.option(
    "--date", "day", required=True, type=click.DateTime(["%Y-%m-%d"]), help="День, ГГГГ-ММ-ДД."
)
@click.option("--json", "as_json", is_flag=True, help="Вывести JSON вместо таблиц.")
def reconcile_command(day: dt.datetime, as_json: bool) -> None:
    """Сверка за день: заказы без подтверждения, платежи без заказа, расхождения сумм."""
    container = container_from_environment()
    upgrade_database(container.engine())
    found = reconcile(container.uow_factory(), day.date(), container.settings().company.time_zone)
    if as_json:
        click.echo(json.dumps(_as_json(found), ensure_ascii=False, indent=2))
        return
    # Piped into a file or a mail, a report keeps whole order ids rather than 80 columns.
    console = Console() if sys.stdout.isatty() else Console(width=200)
    pending = Table(title=f"Заказы, всё ещё ожидающие подтверждения (созданы по {day:%d.%m.%Y})")
    for column in ("Заказ", "Создан", "Лицевой счёт", "Сервис", "Сумма"):
        pending.add_column(column, justify="right" if column == "Сумма" else "left")
    for order in found.pending:
        pending.add_row(
            literal(order.id), f"{order.created_at:%d.%m.%Y %H:%M} UTC",
            literal(order.account_key), literal(order.provider),
            order.amount.format(currency=False),
        )  # fmt: skip
    console.print(pending)
    console.print(_lines_table("Платежи из реестров без заказа портала", found.without_order))
    console.print(_lines_table("Платежи, расходящиеся с заказом", found.mismatched))


def _lines_table(title: str, lines: tuple[RegistryLine, ...]) -> Table:
    table = Table(title=title)
    for column in ("Банк", "Операция", "Реестр:строка", "Лицевой счёт", "Заказ", "Сумма"):
        table.add_column(column, justify="right" if column == "Сумма" else "left")
    for line in lines:
        table.add_row(
            literal(line.bank), literal(line.line_id), literal(f"{line.registry}:{line.line_no}"),
            literal(line.account_key), literal(line.order_id or "—"),
            line.amount.format(currency=False),
        )  # fmt: skip
    return table


def _as_json(found: Reconciliation) -> dict[str, Any]:
    def line(li: RegistryLine) -> dict[str, Any]:
        return {
            "bank": li.bank, "operation": li.line_id, "registry": li.registry,
            "line": li.line_no, "account": li.account_key, "order": li.order_id,
            "paid_on": li.paid_on.isoformat(), "amount_kopecks": li.amount.kopecks,
        }  # fmt: skip

    return {
        "date": found.day.isoformat(),
        "pending_orders": [
            {
                "order": o.id,
                "created_at": o.created_at.isoformat(),
                "account": o.account_key,
                "provider": o.provider,
                "amount_kopecks": o.amount.kopecks,
            }
            for o in found.pending
        ],
        "payments_without_order": [line(li) for li in found.without_order],
        "mismatched_amounts": [line(li) for li in found.mismatched],
    }


@payments.command("verify")
@click.option("--once", is_flag=True, help="Проверить всё, что пора проверить, и выйти.")
def verify_command(once: bool) -> None:
    """Проверять у платёжного сервиса платежи, о которых пришли уведомления.

    Портал отвечает на уведомление сразу и записывает его; платёж запрашивается у
    сервиса отдельно (ADR 0053) — в самом веб-процессе или, если там это выключено
    (LK_PAYMENTS_VERIFY_IN_PROCESS=false), этой командой. Подтверждённый платёж
    зачисляется один раз; недоступный сервис спрашивается снова, с растущими паузами.
    """
    container = container_from_environment()
    try:
        verifier: PaymentVerifier = container.payment_verifier()
    except SettingsError as error:
        click.secho(str(error), fg="red", err=True)
        raise SystemExit(EXIT_CONFIG_ERROR) from None
    upgrade_database(container.engine())
    if once:
        done = verifier.run_until_idle(_echo_verified)
        click.echo(f"Проверено уведомлений: {done}.")
        return
    with _stop_requested() as stop:
        verifier.start(_echo_verified, _echo_failure)
        stop.wait()
        verifier.stop()
    click.echo("Остановлено.")


def _echo_verified(verified: Verified) -> None:
    pending = verified.pending
    line = f"{pending.provider} {pending.provider_payment_id}: {verified.outcome.label_ru}"
    click.echo(line + (f" ({verified.detail})" if verified.detail else ""))


def _echo_failure(error: Exception) -> None:
    click.secho(f"Ошибка проверки: {type(error).__name__}; повторим.", fg="red", err=True)


@contextmanager
def _stop_requested() -> Iterator[threading.Event]:
    """An event set by Ctrl-C or SIGTERM: verifications in hand end and are recorded (one
    cut short would only be asked again after its claim runs out)."""
    stop = threading.Event()
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    for sig in previous:
        signal.signal(sig, request_stop)
    try:
        yield stop
    finally:
        for sig, handler in previous.items():
            if handler is not None:
                signal.signal(sig, handler)
