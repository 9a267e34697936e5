"""`lk api-keys …` as an operator runs it (F28): click's CliRunner over a real SQLite file
and a PostgreSQL schema; a created key authenticates, a revoked one no longer does."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import select

from company_env import A_COMPANY
from conftest import SQL_DATABASES, empty_database_url
from lk_adapters.clock import SystemClock
from lk_adapters.sqlalchemy.engine import make_engine
from lk_adapters.sqlalchemy.migrations import upgrade_database
from lk_adapters.sqlalchemy.tables import audit_log
from lk_adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWorkFactory
from lk_cli.main import cli
from lk_core.service_api import (
    ApiKeyInvalid,
    ServiceApiContext,
    authenticate_api_key,
    hash_api_key,
)


@pytest.fixture(params=SQL_DATABASES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with empty_database_url(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def service(database_url: str) -> Iterator[ServiceApiContext]:
    engine = make_engine(database_url)
    upgrade_database(engine)
    yield ServiceApiContext(SqlAlchemyUnitOfWorkFactory(engine), SystemClock())
    engine.dispose()


def lk(database_url: str, *args: str, input: str | None = None) -> Result:
    env = {"LK_DATABASE_URL": database_url, "LK_SECRET_KEY": "k" * 40, **A_COMPANY}
    return CliRunner().invoke(cli, list(args), env={**env, "COLUMNS": "200"}, input=input)


def operator_details(database_url: str) -> str:
    """The details of every operator event, as stored (operator actions on keys name no
    account, so the log is read whole)."""
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            query = select(audit_log.c.details).where(audit_log.c.actor == "operator:anna")
            return "\n".join(connection.execute(query.order_by(audit_log.c.id)).scalars())
    finally:
        engine.dispose()


def created(database_url: str, name: str, scopes: str) -> dict[str, object]:
    result = lk(database_url, "api-keys", "create", "--name", name, "--scopes", scopes,
                "--operator", "anna", "--json")  # fmt: skip
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_a_created_key_is_shown_once_and_then_authenticates(
    database_url: str, service: ServiceApiContext
) -> None:
    result = lk(database_url, "api-keys", "create", "--name", "billing",
                "--scopes", "readings:read,readings:write", "--operator", "anna")  # fmt: skip

    assert result.exit_code == 0, result.output
    secret = result.output.strip().splitlines()[-1]
    assert "показывается один раз" in result.output
    key = authenticate_api_key(service, secret)
    assert key.name == "billing"
    assert {scope.value for scope in key.scopes} == {"readings:read", "readings:write"}
    listed = lk(database_url, "api-keys", "list")
    assert listed.exit_code == 0, listed.output
    assert "billing" in listed.output
    assert key.id in listed.output
    assert secret not in listed.output
    assert hash_api_key(secret) not in listed.output


def test_the_list_as_json_names_scopes_and_times_but_no_secret(
    database_url: str, service: ServiceApiContext
) -> None:
    first = created(database_url, "billing", "readings:read")
    created(database_url, "call centre", "accounts:read")
    assert isinstance(first["secret"], str)
    authenticate_api_key(service, first["secret"])

    result = lk(database_url, "api-keys", "list", "--json")

    assert result.exit_code == 0, result.output
    listed = json.loads(result.output)
    assert [item["name"] for item in listed] == ["billing", "call centre"]
    assert listed[0]["scopes"] == ["readings:read"]
    assert listed[0]["created_by"] == "operator:anna"
    assert listed[0]["last_used_at"] is not None
    assert listed[1]["last_used_at"] is None
    assert all("secret" not in item for item in listed)
    assert first["secret"] not in result.output


def test_a_revoked_key_is_refused_at_once_and_the_revocation_audited(
    database_url: str, service: ServiceApiContext
) -> None:
    key = created(database_url, "gateway", "payments:write")
    secret = str(key["secret"])
    authenticate_api_key(service, secret)

    result = lk(database_url, "api-keys", "revoke", str(key["id"]), "--yes", "--operator", "anna")

    assert result.exit_code == 0, result.output
    assert f"Ключ {key['id']} отозван." in result.output
    with pytest.raises(ApiKeyInvalid):
        authenticate_api_key(service, secret)
    again = lk(database_url, "api-keys", "revoke", str(key["id"]), "--yes")
    assert "уже был отозван" in again.output
    listed = json.loads(lk(database_url, "api-keys", "list", "--json").output)
    assert listed[0]["revoked_at"] is not None
    flat = operator_details(database_url)
    assert "api-keys create" in flat
    assert "api-keys revoke" in flat
    assert secret not in flat


def test_revoking_asks_first_and_a_refusal_keeps_the_key(
    database_url: str, service: ServiceApiContext
) -> None:
    key = created(database_url, "gateway", "payments:write")

    result = lk(database_url, "api-keys", "revoke", str(key["id"]), input="n\n")

    assert result.exit_code != 0
    authenticate_api_key(service, str(key["secret"]))


def test_an_unknown_scope_or_key_is_an_error_with_a_russian_message(database_url: str) -> None:
    bad_scope = lk(database_url, "api-keys", "create", "--name", "x", "--scopes", "everything")
    unknown = lk(database_url, "api-keys", "revoke", "000000000000", "--yes")

    assert bad_scope.exit_code == 1
    assert "Неизвестная область «everything»" in bad_scope.output
    assert unknown.exit_code == 1
    assert "Ключ API 000000000000 не найден" in unknown.output


def test_no_keys_says_so(database_url: str) -> None:
    result = lk(database_url, "api-keys", "list")

    assert result.exit_code == 0
    assert "Ключей нет." in result.output
