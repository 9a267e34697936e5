"""`lk db purge` as a timer runs it: on a real SQLite file, idle sessions and old throttle
windows go, the live session stays."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from click.testing import CliRunner

from company_env import A_COMPANY
from lk_adapters.sqlalchemy.engine import make_engine
from lk_adapters.sqlalchemy.migrations import upgrade_database
from lk_adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWorkFactory
from lk_cli.main import cli
from lk_core.access.sessions import new_session
from lk_core.service_api import IDEMPOTENCY_LIFETIME, IdempotentRequest, StoredAnswer

BUCKET = "sign_in.ip:198.51.100.7"


def test_purge_forgets_idle_sessions_and_old_windows_and_keeps_the_live_session(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'lk.sqlite3'}"
    engine = make_engine(url)
    upgrade_database(engine)
    now = dt.datetime.now(dt.UTC)
    _, idle = new_session(now - dt.timedelta(hours=3))
    _, live = new_session(now - dt.timedelta(minutes=1))
    factory = SqlAlchemyUnitOfWorkFactory(engine)
    with factory() as uow:
        uow.sessions.add(idle)
        uow.sessions.add(live)
        uow.rate_counters.hit(BUCKET, now - dt.timedelta(days=3))
        uow.rate_counters.hit(BUCKET, now - dt.timedelta(minutes=3))
        uow.commit()

    env = {"LK_DATABASE_URL": url, "LK_SECRET_KEY": "k" * 40, **A_COMPANY}
    result = CliRunner().invoke(cli, ["db", "purge"], env=env, catch_exceptions=False)

    assert result.exit_code == 0, result.output
    assert "Удалено сессий: 1, окон счётчиков попыток: 1." in result.output
    with factory(read_only=True) as uow:
        assert uow.sessions.get(idle.id_hash) is None
        assert uow.sessions.get(live.id_hash) is not None
        assert uow.rate_counters.counts([(BUCKET, now - dt.timedelta(days=3))])[0] == 0
        assert uow.rate_counters.counts([(BUCKET, now - dt.timedelta(minutes=3))])[0] == 1
    engine.dispose()


def test_purge_forgets_idempotent_requests_past_their_day_and_keeps_recent_ones(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'lk.sqlite3'}"
    engine = make_engine(url)
    upgrade_database(engine)
    now = dt.datetime.now(dt.UTC)
    factory = SqlAlchemyUnitOfWorkFactory(engine)
    with factory() as uow:
        for key, claimed in (("old", now - dt.timedelta(hours=25)), ("new", now)):
            request = IdempotentRequest(
                "key:0123456789ab", key, "h" * 64, claimed, claimed + IDEMPOTENCY_LIFETIME
            )
            uow.idempotency.claim(request)
            uow.idempotency.answer("key:0123456789ab", key, StoredAnswer(201, (), b"{}"))
        uow.commit()

    env = {"LK_DATABASE_URL": url, "LK_SECRET_KEY": "k" * 40, **A_COMPANY}
    result = CliRunner().invoke(cli, ["db", "purge"], env=env, catch_exceptions=False)

    assert result.exit_code == 0, result.output
    assert "Удалено запросов API с истёкшим ключом идемпотентности: 1." in result.output
    with factory(read_only=True) as uow:
        assert uow.idempotency.get("key:0123456789ab", "old") is None
        assert uow.idempotency.get("key:0123456789ab", "new") is not None
    engine.dispose()
