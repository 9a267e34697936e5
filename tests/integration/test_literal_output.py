"""Operators' commands print data as it is (issue 17 §7): a name with Rich markup in it
(`[/]`, `[link=…]`, `[bold]`) is shown literally instead of crashing the command, making
a link or disappearing, and a control character in data is written out (`\\x1b`)
instead of steering the terminal. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from pathlib import Path

import pytest

from lk_core.kernel.money import Money
from lk_core.messaging.messages import EmailMessage
from lk_core.messaging.outbox import queue_email
from lk_core.payments.registry import RegistryLine, RegistryOutcome

from .test_operator_commands import IVANOV, Database, database_url, db, env, lk

__all__ = ["database_url", "db", "env"]

NAMES = [
    "Ефимов [/] Роман",
    "Петров [link=http://x]y[/link] Пётр",
    "Сидоров [bold]Илья",
]
ESCAPE = "Эхо \x1b[2J\x1b[31mКрасный"


def renamed(db: Database, name: str) -> None:
    """Ivanov's account with the payer's name as it may have been loaded from a file."""
    with db() as uow:
        account = uow.accounts.get(IVANOV)
        assert account is not None
        account.payer_name = name
        uow.accounts.upsert_from_billing([account])
        uow.commit()


@pytest.mark.parametrize("name", NAMES)
def test_find_and_show_print_a_payer_with_markup_in_the_name_literally(
    db: Database, env: dict[str, str], name: str
) -> None:
    renamed(db, name)

    found = lk(env, "accounts", "find", IVANOV)
    shown = lk(env, "accounts", "show", IVANOV)

    assert found.exit_code == 0, found.output
    assert name in found.output
    assert shown.exit_code == 0, shown.output
    assert name in shown.output


@pytest.mark.parametrize("name", NAMES)
def test_show_prints_a_reason_with_markup_in_the_security_events_literally(
    db: Database, env: dict[str, str], name: str
) -> None:
    # Ivanov is registered: an operator resets his registration, with a reason.
    reset = lk(env, "accounts", "reset", IVANOV, "--reason", name, "--yes")
    assert reset.exit_code == 0, reset.output

    shown = lk(env, "accounts", "show", IVANOV)

    assert shown.exit_code == 0, shown.output
    assert f"reason={name}" in shown.output


def test_a_control_character_in_data_is_written_out_not_sent_to_the_terminal(
    db: Database, env: dict[str, str]
) -> None:
    renamed(db, ESCAPE)

    found = lk(env, "accounts", "find", IVANOV)

    assert found.exit_code == 0, found.output
    assert "\x1b" not in found.output
    assert "Эхо \\x1b[2J\\x1b[31mКрасный" in found.output


@pytest.mark.parametrize("name", NAMES)
def test_the_outbox_list_prints_a_subject_with_markup_literally(
    db: Database, env: dict[str, str], name: str
) -> None:
    with db() as uow:
        uow.outbox.add(
            queue_email(EmailMessage("anna@example.ru", name, "…"), dt.datetime.now(dt.UTC))
        )
        uow.commit()

    result = lk(env, "outbox", "list")

    assert result.exit_code == 0, result.output
    assert name in result.output


@pytest.mark.parametrize("name", NAMES)
def test_reconcile_prints_a_registry_line_with_markup_literally(
    db: Database, env: dict[str, str], name: str
) -> None:
    today = dt.datetime.now(zoneinfo.ZoneInfo("Europe/Moscow")).date()
    line = RegistryLine(
        bank="sberbank", line_id=name, registry=f"{name}.csv", line_no=7, account_key=IVANOV,
        paid_on=today, amount=Money(150_000), outcome=RegistryOutcome.CREDITED,
    )  # fmt: skip
    with db() as uow:
        uow.registry_lines.add_many([line])
        uow.commit()

    result = lk(env, "payments", "reconcile", "--date", today.isoformat())

    assert result.exit_code == 0, result.output
    assert name in result.output
    assert f"{name}.csv:7" in result.output


@pytest.mark.parametrize("name", NAMES)
def test_a_notify_dry_run_prints_the_sample_and_campaign_with_markup_literally(
    db: Database, env: dict[str, str], tmp_path: Path, name: str
) -> None:
    renamed(db, name)
    template = tmp_path / "debt.txt"
    template.write_text("Тема: Долг\n\nЗдравствуйте, {name}!\n", encoding="utf-8")

    result = lk(env, "notify", "--accounts", IVANOV, "--email", "--template", str(template),
                "--campaign", name, "--dry-run")  # fmt: skip

    assert result.exit_code == 0, result.output
    assert f"Здравствуйте, {name}!" in result.output
    assert f"Рассылка: {name}" in result.output


def test_an_import_error_writes_a_control_character_out(
    db: Database, env: dict[str, str], tmp_path: Path
) -> None:
    registry = tmp_path / "r.csv"
    registry.write_bytes(
        (
            f"02-03-2026;10-15-22;8607;8607999V;510011;{IVANOV};ИВАНОВ;;032026;1500,00\n"
            "=1;\x1b[2J1500,00\n"
        ).encode("cp1251")
    )

    result = lk(env, "payments", "import-registry", str(registry), "--bank", "sberbank")

    assert result.exit_code == 3, result.output
    assert "\x1b" not in result.output
    assert f"{registry}:2:2: итоговая сумма \\x1b[2J1500,00" in result.output
