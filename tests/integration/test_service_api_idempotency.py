"""`Idempotency-Key` on the service API's POSTs over HTTP (F28, ADR 0062): a repeat gets
the first answer without running again, another request under the key is 422, keys are
the caller's own; and on a real server, requests sent at once with one key run once."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from access_fixtures import IVANOV, SIDOROV, load_accounts, some_accounts
from conftest import SQL_DATABASES, empty_database_url
from lk_adapters.clock import SystemClock
from lk_adapters.sqlalchemy.engine import make_engine
from lk_adapters.sqlalchemy.migrations import upgrade_database
from lk_adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWorkFactory
from lk_core.service_api import Scope, ServiceApiContext, create_api_key
from personal_site import Site
from served_portal import free_port, production_environment, served_portal
from service_api_fixtures import ANNA, SMS_PHONE, a_key, call, service_site

from .test_service_api_endpoints import REGISTRY

MESSAGES = "/api/v1/service/messages"
REGISTRIES = "/api/v1/service/payments/registries?bank=sberbank&name=r-0302.csv"
MESSAGE = {
    "audience": {"accounts": [SIDOROV]},
    "channels": ["sms"],
    "template": "Отключение воды 5 марта.",
    "campaign": "water",
}
CLIENTS = 6


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    yield from service_site(tmp_path)


def sms_count(site: Site) -> int:
    with site.container.uow_factory()() as uow:
        return sum(1 for m in uow.outbox.recent(100) if m.recipient == SMS_PHONE)


def test_a_repeat_with_the_key_gets_the_first_answer_and_runs_nothing(site: Site) -> None:
    key = a_key(site, Scope.MESSAGES_WRITE)
    headers = {"Idempotency-Key": "0b7c4f6e-mailing-1"}

    first = call(site, "POST", MESSAGES, key, json=MESSAGE, headers=headers)
    repeat = call(site, "POST", MESSAGES, key, json=MESSAGE, headers=headers)

    assert first.status_code == 202, first.text
    assert repeat.status_code == 202
    assert repeat.content == first.content
    assert repeat.json()["channels"]["sms"]["queued"] == 1
    assert repeat.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert repeat.headers["content-type"] == first.headers["content-type"]
    # Without the key the request runs again: the mailing's own dedupe shows it.
    again = call(site, "POST", MESSAGES, key, json=MESSAGE)
    assert again.json()["channels"]["sms"]["already_queued"] == 1
    assert sms_count(site) == 1


def test_the_key_with_another_request_is_refused(site: Site) -> None:
    key = a_key(site, Scope.MESSAGES_WRITE)
    headers = {"Idempotency-Key": "mailing-2"}
    call(site, "POST", MESSAGES, key, json=MESSAGE, headers=headers)

    other = call(site, "POST", MESSAGES, key, json={**MESSAGE, "campaign": "other"},
                 headers=headers)  # fmt: skip

    assert other.status_code == 422
    assert other.headers["content-type"].startswith("application/problem+json")
    assert other.json()["code"] == "idempotency_key_reused"


def test_keys_belong_to_their_caller(site: Site) -> None:
    headers = {"Idempotency-Key": "shared-name"}
    first = call(site, "POST", MESSAGES, a_key(site, Scope.MESSAGES_WRITE, name="crm"),
                 json=MESSAGE, headers=headers)  # fmt: skip

    second = call(site, "POST", MESSAGES, a_key(site, Scope.MESSAGES_WRITE, name="gateway"),
                  json={**MESSAGE, "campaign": "other"}, headers=headers)  # fmt: skip

    assert first.status_code == second.status_code == 202
    assert "idempotent-replayed" not in second.headers


def test_a_refusal_is_kept_and_repeated_like_any_answer(site: Site) -> None:
    key = a_key(site, Scope.PAYMENTS_WRITE)
    bad = REGISTRY.replace("100234-А", "999999").encode("cp1251")
    headers = {"Idempotency-Key": "registry-bad", "Content-Type": "text/csv"}

    first = call(site, "POST", REGISTRIES, key, content=bad, headers=headers)
    repeat = call(site, "POST", REGISTRIES, key, content=bad, headers=headers)

    assert first.status_code == repeat.status_code == 422
    assert repeat.json() == first.json()
    assert repeat.headers["content-type"].startswith("application/problem+json")
    assert repeat.headers["idempotent-replayed"] == "true"


@pytest.mark.parametrize("value", ["", "x" * 256, "ключ"])
def test_an_idempotency_key_of_the_wrong_form_is_refused_naming_the_header(
    site: Site, value: str
) -> None:
    answer = call(site, "POST", MESSAGES, a_key(site, Scope.MESSAGES_WRITE), json=MESSAGE,
                  headers={"Idempotency-Key": value.encode()})  # fmt: skip

    assert answer.status_code == 400
    assert answer.json()["errors"][0]["field"] == "Idempotency-Key"
    assert sms_count(site) == 0


# --- a real server, requests at once ---


@pytest.fixture(params=SQL_DATABASES)
def served(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str, str]]:
    """`lk serve` over a database holding the accounts; its URL, a payments key, the DB URL."""
    with empty_database_url(request.param, tmp_path) as url:
        engine = make_engine(url)
        upgrade_database(engine)
        factory = SqlAlchemyUnitOfWorkFactory(engine)
        load_accounts(factory, some_accounts())
        service = ServiceApiContext(factory, SystemClock())
        key = create_api_key(service, ANNA, "bank", frozenset({Scope.PAYMENTS_WRITE})).secret
        engine.dispose()
        port = free_port()
        env = production_environment(tmp_path, port, LK_DATABASE_URL=url)
        with served_portal(env, port, tmp_path / "server.log") as base_url:
            yield base_url, key, url


def test_registry_uploads_sent_at_once_with_one_key_run_once(
    served: tuple[str, str, str],
) -> None:
    base_url, key, url = served
    start = threading.Barrier(CLIENTS)
    headers = {"X-Api-Key": key, "Idempotency-Key": "upload-0302", "Content-Type": "text/csv"}

    def upload(_: int) -> httpx.Response:
        start.wait()
        return httpx.post(base_url + REGISTRIES, content=REGISTRY.encode("cp1251"),
                          headers=headers, timeout=30)  # fmt: skip

    with ThreadPoolExecutor(CLIENTS) as pool:
        answers = list(pool.map(upload, range(CLIENTS)))

    assert {a.status_code for a in answers} <= {200, 409}, [a.text for a in answers]
    ran = [a for a in answers if a.status_code == 200 and "idempotent-replayed" not in a.headers]
    assert len(ran) == 1
    assert ran[0].json()["repeated"] == 0
    assert all(a.json()["code"] == "idempotency_key_in_progress"
               for a in answers if a.status_code == 409)  # fmt: skip
    replay = httpx.post(base_url + REGISTRIES, content=REGISTRY.encode("cp1251"),
                        headers=headers, timeout=30)  # fmt: skip
    assert replay.status_code == 200
    assert replay.json() == ran[0].json()
    engine = make_engine(url)
    with SqlAlchemyUnitOfWorkFactory(engine)() as uow:
        assert len(uow.payments.of_account(IVANOV)) == 1
    engine.dispose()
