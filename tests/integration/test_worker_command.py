"""`lk worker` on the embedded database: nothing to run, said plainly (exit 2)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from lk_cli.main import cli


def test_a_worker_over_sqlite_refuses_to_start_and_says_why(tmp_path: Path) -> None:
    env = {"LK_DEMO": "1", "LK_DATABASE_URL": f"sqlite:///{tmp_path / 'lk.sqlite3'}"}

    result = CliRunner().invoke(cli, ["worker"], env=env)

    assert result.exit_code == 2
    assert "lk worker нужен только с PostgreSQL" in result.output
