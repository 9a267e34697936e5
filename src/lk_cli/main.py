"""The `lk` command: back-office tools of the resident portal."""

from __future__ import annotations

import click

from lk_adapters.logging import configure_logging
from lk_cli.api_keys_command import api_keys
from lk_cli.db_commands import db
from lk_cli.demo_command import demo
from lk_cli.import_command import import_files
from lk_cli.operator import accounts, notify
from lk_cli.outbox_command import outbox
from lk_cli.payments_command import payments
from lk_cli.period_command import period, receipts
from lk_cli.readings_command import readings
from lk_cli.requests_command import requests
from lk_cli.serve_command import serve
from lk_cli.staff_command import staff
from lk_cli.status_command import status
from lk_cli.worker_command import worker


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="lk")
def cli() -> None:
    """Личный кабинет: команды для операторов управляющей компании."""
    configure_logging()


cli.add_command(db)
cli.add_command(import_files)
cli.add_command(demo)
cli.add_command(serve)
cli.add_command(status)
cli.add_command(outbox)
cli.add_command(accounts)
cli.add_command(notify)
cli.add_command(payments)
cli.add_command(readings)
cli.add_command(period)
cli.add_command(receipts)
cli.add_command(staff)
cli.add_command(worker)
cli.add_command(api_keys)
cli.add_command(requests)
