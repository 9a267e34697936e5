"""Reading what an operator hands `lk notify`: a template and a list of accounts; a bad
one exits 3 naming the file, line and column."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import click

from lk_cli.context import EXIT_BAD_DATA
from lk_cli.literal import visible
from lk_core.accounts.account import AccountNumber
from lk_core.kernel.errors import InvalidValue
from lk_core.operator.errors import TemplateError
from lk_core.operator.templates import MessageTemplate


def bad_input(where: str, line: int, column: int, reason: str) -> SystemExit:
    click.secho(visible(f"{where}:{line}:{column}: {reason}"), fg="red", err=True)
    return SystemExit(EXIT_BAD_DATA)


def read_template(path: Path | None, text: str | None) -> MessageTemplate:
    """The template from `--template FILE` or `--text`, exactly one of them."""
    if (path is None) == (text is None):
        raise click.UsageError("Укажите текст сообщения: --template ФАЙЛ или --text ТЕКСТ.")
    where = "--text" if path is None else str(path)
    if path is not None:
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = path.read_bytes()[: error.start].count(b"\n") + 1
            raise bad_input(where, line, 1, "файл не в кодировке UTF-8") from None
    assert text is not None
    try:
        return MessageTemplate.parse(text)
    except TemplateError as error:
        raise bad_input(where, error.line, error.column, error.reason_ru) from None


def read_account_list(lines: Iterable[str], where: str) -> list[str]:
    """Account keys, one per item; blank items and `#` comments are skipped."""
    keys: list[str] = []
    for number, line in enumerate(lines, start=1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        try:
            keys.append(AccountNumber.parse(text).key)
        except InvalidValue as error:
            column = line.index(text) + 1
            raise bad_input(where, number, column, f"«{text}»: {error.message_ru}") from None
    return keys
