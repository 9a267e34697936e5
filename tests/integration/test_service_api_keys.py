"""The service API's keys over HTTP (F28, ADR 0062): no key or an unknown one is 401, a key
without the operation's scope 403, a revoked key refused from the very next request, and
the OpenAPI document says so for every service operation."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from lk_core.service_api import Scope, list_api_keys, revoke_api_key
from lk_core.service_api.key_management import KEY_FAILURES
from personal_site import Site
from service_api_fixtures import ANNA, a_key, call, service_site

PROBLEM = "application/problem+json"
PARAMETER = re.compile(r"\{(\w+)(?::\w+)?\}")
# Each service operation and the one scope it needs.
OPERATIONS = {
    ("GET", "/api/v1/service/readings/pending"): Scope.READINGS_READ,
    ("POST", "/api/v1/service/readings/results"): Scope.READINGS_WRITE,
    ("POST", "/api/v1/service/payments/registries"): Scope.PAYMENTS_WRITE,
    ("POST", "/api/v1/service/messages"): Scope.MESSAGES_WRITE,
    ("GET", "/api/v1/service/accounts/{number:str}"): Scope.ACCOUNTS_READ,
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    yield from service_site(tmp_path_factory.mktemp("service_api_keys"))


def concrete(path: str) -> str:
    return PARAMETER.sub("100234", path) + ("?period=2026-03" if "pending" in path else "")


def test_every_service_route_is_one_of_the_operations_with_a_scope(site: Site) -> None:
    served = {
        (method, route.path)
        for route in site.app.routes
        if route.path.startswith("/api/v1/service/")
        for method in getattr(route, "methods", ())
        if method not in ("HEAD", "OPTIONS")
    }

    assert served == set(OPERATIONS)


@pytest.mark.parametrize("presented", [None, "", "lk_000000000000_nothing", "garbage"])
@pytest.mark.parametrize(("method", "path"), sorted(OPERATIONS))
def test_without_a_valid_key_every_operation_answers_401(
    site: Site, method: str, path: str, presented: str | None
) -> None:
    answer = call(site, method, concrete(path), presented, json={})

    assert answer.status_code == 401, answer.text
    assert answer.headers["content-type"].startswith(PROBLEM)
    assert answer.json()["code"] == "api_key_invalid"
    assert "X-Api-Key" in answer.headers["www-authenticate"]


@pytest.mark.parametrize(("method", "path"), sorted(OPERATIONS))
def test_a_key_without_the_operations_scope_answers_403(site: Site, method: str, path: str) -> None:
    others = [scope for scope in Scope if scope is not OPERATIONS[(method, path)]]
    key = a_key(site, *others)

    answer = call(site, method, concrete(path), key, json={})

    assert answer.status_code == 403, answer.text
    assert answer.json()["code"] == "scope_missing"
    assert OPERATIONS[(method, path)].value in answer.json()["detail"]


def test_a_key_with_the_scope_is_let_through(site: Site) -> None:
    key = a_key(site, Scope.READINGS_READ)

    answer = call(site, "GET", "/api/v1/service/readings/pending?period=2026-03", key)

    assert answer.status_code == 200, answer.text


def test_a_revoked_key_is_refused_from_the_next_request_on(site: Site) -> None:
    key = a_key(site, Scope.ACCOUNTS_READ, name="call centre")
    assert call(site, "GET", "/api/v1/service/accounts/100234", key).status_code == 200
    service = site.container.service_api()
    key_id = next(k.id for k in list_api_keys(service) if k.name == "call centre")

    revoke_api_key(service, ANNA, key_id)

    answer = call(site, "GET", "/api/v1/service/accounts/100234", key)
    assert answer.status_code == 401
    assert answer.json()["code"] == "api_key_invalid"


def test_a_key_is_not_a_resident_token_nor_the_other_way_round(site: Site) -> None:
    key = a_key(site, Scope.ACCOUNTS_READ)

    as_bearer = site.client.get(
        "/api/v1/service/accounts/100234", headers={"Authorization": f"Bearer {key}"}
    )

    assert as_bearer.status_code == 401


def test_the_openapi_document_states_the_key_and_the_refusals_of_each_operation(
    site: Site,
) -> None:
    document = site.get("/api/v1/openapi.json").json()
    scheme = document["components"]["securitySchemes"]["serviceKey"]
    assert scheme == {
        "type": "apiKey",
        "name": "X-Api-Key",
        "in": "header",
        "description": scheme["description"],
    }
    for method, path in OPERATIONS:
        operation = document["paths"][PARAMETER.sub(r"{\1}", path)][method.lower()]
        assert operation["security"] == [{"serviceKey": []}]
        assert operation["summary"]
        assert {"400", "401", "403", "429", "500"} <= set(operation["responses"])
        assert operation["tags"] == ["service"]
        if method == "POST":
            assert {"409", "422"} <= set(operation["responses"])
            names = [p["name"] for p in operation.get("parameters", [])]
            assert "Idempotency-Key" in names


def test_too_many_failed_keys_from_one_address_answer_429(tmp_path: Path) -> None:
    for fresh in service_site(tmp_path):
        good = a_key(fresh, Scope.ACCOUNTS_READ)
        for _ in range(KEY_FAILURES.count):
            assert call(fresh, "GET", "/api/v1/service/accounts/100234", "lk_x").status_code == 401

        answer = call(fresh, "GET", "/api/v1/service/accounts/100234", good)

        assert answer.status_code == 429
        assert answer.json()["code"] == "throttled"
        assert 0 < int(answer.headers["retry-after"]) <= 600
