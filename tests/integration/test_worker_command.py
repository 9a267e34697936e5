"""`lk worker` refuses to start, saying why (exit 2), where it could not do its work: on
the embedded database, or without the gateways to deliver the outbox."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from company_env import A_COMPANY
from lk_cli.main import cli


def test_a_worker_over_sqlite_refuses_to_start_and_says_why(tmp_path: Path) -> None:
    env = {"LK_DEMO": "1", "LK_DATABASE_URL": f"sqlite:///{tmp_path / 'lk.sqlite3'}"}

    result = CliRunner().invoke(cli, ["worker"], env=env)

    assert result.exit_code == 2
    assert "lk worker нужен только с PostgreSQL" in result.output


def test_a_worker_without_a_mail_server_configured_refuses_to_start() -> None:
    env = {"LK_DATABASE_URL": "postgresql://lk@127.0.0.1:1/unused", "LK_SECRET_KEY": "k" * 40}

    result = CliRunner().invoke(cli, ["worker"], env={**A_COMPANY, **env})

    assert result.exit_code == 2
    assert "LK_MAIL_HOST" in result.output
