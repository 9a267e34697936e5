"""The JSON API's conventions (ADR 0060), checked on probe routes mounted like the API's:
problem documents, money as decimal strings, cursor pages, entity tags, and an OpenAPI
document that describes the API and nothing else."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import msgspec
import pytest
from litestar import Controller, Response, get, post
from litestar.params import JSONBody

from lk_core.kernel.errors import InvalidValue, NotFound
from lk_core.kernel.money import Money
from lk_web.api.cursor import Cursor, CursorPage, Limit, page_of
from lk_web.api.etag import json_read
from lk_web.api.money import MoneyText, money_of, money_text
from lk_web.api.openapi import BEARER, PUBLIC
from lk_web.api.problems import ApiProblem, problem_responses
from lk_web.api.router import api_router
from lk_web.client import AnyRequest
from personal_site import Site, a_site

PROBLEM = "application/problem+json"
LIMIT_REFUSED = "Поле «limit» заполнено неверно"


class Amount(msgspec.Struct):
    amount: MoneyText
    on: str


class Probe(Controller):
    path = "/probe"

    @get("/amount", summary="Сумма", security=BEARER, responses=problem_responses())
    async def amount(self) -> Amount:
        return Amount(money_text(Money(-123456)), "2025-01-31")

    @post("/amount", summary="Разобрать сумму", security=PUBLIC, responses=problem_responses())
    async def parse(self, data: JSONBody[Amount]) -> Amount:
        return Amount(money_text(money_of(data.amount, "amount")), data.on)

    @get("/numbers", summary="Числа", security=PUBLIC, responses=problem_responses())
    async def numbers(
        self, request: AnyRequest, cursor: Cursor = None, limit: Limit = 3
    ) -> Response[CursorPage[int]]:
        return json_read(request, page_of(list(range(7)), str, cursor, limit))

    @get("/missing", summary="Нет такого", security=PUBLIC, responses=problem_responses(404))
    async def missing(self) -> None:
        raise NotFound("account", "1")

    @get("/invalid", summary="Неверно", security=PUBLIC, responses=problem_responses())
    async def invalid(self) -> None:
        raise InvalidValue("phone", "x", "Телефон указан неверно")

    @get("/refused", summary="Отказ", security=PUBLIC, responses=problem_responses(409))
    async def refused(self) -> None:
        raise ApiProblem(409, "already_done", "Уже сделано")

    @get("/broken", summary="Сломано", security=PUBLIC, responses=problem_responses())
    async def broken(self) -> None:
        raise RuntimeError("secret detail")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    folder: Path = tmp_path_factory.mktemp("api_conventions")
    with a_site(folder) as site:
        site.app.register(api_router([Probe]))
        yield site


def test_money_is_a_decimal_string_in_roubles(site: Site) -> None:
    answer = site.get("/api/v1/probe/amount")

    assert answer.json() == {"amount": "-1234.56", "on": "2025-01-31"}


def test_money_round_trips_and_a_float_is_refused_naming_the_field(site: Site) -> None:
    good = site.client.post("/api/v1/probe/amount", json={"amount": "0.05", "on": "x"})
    as_float = site.client.post("/api/v1/probe/amount", json={"amount": 12.5, "on": "x"})
    badly_written = site.client.post("/api/v1/probe/amount", json={"amount": "12,5", "on": "x"})

    assert good.json()["amount"] == "0.05"
    for refused in (as_float, badly_written):
        assert refused.status_code == 400
        assert refused.headers["content-type"] == PROBLEM
        assert refused.json()["code"] == "validation_failed"
        assert [e["field"] for e in refused.json()["errors"]] == ["amount"]
        assert "amount" in refused.json()["detail"]


def test_cursor_walks_a_list_to_its_end(site: Site) -> None:
    seen: list[int] = []
    url = "/api/v1/probe/numbers"
    while True:
        page = site.get(url).json()
        seen += page["items"]
        if page["next_cursor"] is None:
            break
        url = f"/api/v1/probe/numbers?cursor={page['next_cursor']}"

    assert seen == list(range(7))


def test_a_cursor_not_written_by_the_api_is_refused(site: Site) -> None:
    answer = site.get("/api/v1/probe/numbers?cursor=not-a-cursor")

    assert answer.status_code == 400
    assert answer.json()["code"] == "validation_failed"
    assert answer.json()["errors"][0] == {
        "field": "cursor",
        "code": "invalid_cursor",
        "detail": "Поле «cursor»: курсор не распознан",
    }


def test_a_read_carries_an_etag_and_answers_304_when_the_client_has_it(site: Site) -> None:
    first = site.get("/api/v1/probe/numbers")
    again = site.client.get(
        "/api/v1/probe/numbers", headers={"If-None-Match": first.headers["etag"]}
    )
    other = site.client.get("/api/v1/probe/numbers", headers={"If-None-Match": '"other"'})

    assert first.headers["etag"].startswith('"')
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == first.headers["etag"]
    assert other.status_code == 200


@pytest.mark.parametrize(
    ("path", "status", "code", "detail"),
    [
        ("/api/v1/probe/missing", 404, "not_found", "Не найдено"),
        ("/api/v1/probe/invalid", 400, "validation_failed", "Телефон указан неверно"),
        ("/api/v1/probe/refused", 409, "already_done", "Уже сделано"),
        ("/api/v1/no-such-thing", 404, "not_found", "Не найдено"),
        (
            "/api/v1/probe/numbers?limit=0",
            400,
            "validation_failed",
            "Поле «limit» заполнено неверно",
        ),
    ],
)
def test_errors_are_problem_documents(
    site: Site, path: str, status: int, code: str, detail: str
) -> None:
    answer = site.get(path)

    assert answer.status_code == status
    assert answer.headers["content-type"] == PROBLEM
    body = answer.json()
    assert body["status"] == status
    assert body["code"] == code
    assert body["detail"] == detail
    assert body["type"] == f"urn:lk:problem:{code}"


def test_a_server_error_is_a_problem_without_the_details(site: Site) -> None:
    answer = site.get("/api/v1/probe/broken")

    assert answer.status_code == 500
    assert answer.headers["content-type"] == PROBLEM
    assert answer.json()["code"] == "server_error"
    assert "secret" not in answer.text


def test_the_openapi_document_describes_the_api_only(site: Site) -> None:
    document = site.get("/api/v1/openapi.json").json()

    assert document["openapi"].startswith("3.1")
    assert all(path.startswith("/api/v1/") for path in document["paths"])
    assert set(document["paths"]) >= {
        "/api/v1/probe/amount",
        "/api/v1/probe/numbers",
        "/api/v1/probe/missing",
        "/api/v1/probe/invalid",
        "/api/v1/probe/refused",
        "/api/v1/probe/broken",
    }
    assert not [path for path in document["paths"] if "openapi" in path or "demo" in path]
    assert "/api/v1/payments/callbacks/{provider}" not in document["paths"]
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    amount = document["components"]["schemas"]["Amount"]["properties"]["amount"]
    assert amount["type"] == "string"
    assert amount["pattern"] == r"^-?[0-9]{1,15}\.[0-9]{2}$"
    for path in document["paths"].values():
        for operation in path.values():
            assert operation["summary"]
            assert "security" in operation
            problem = operation["responses"]["400"]["content"]
            assert list(problem) == [PROBLEM]


@pytest.mark.parametrize("path", ["/schema", "/schema/openapi.json", "/schema/swagger"])
def test_nothing_else_of_a_schema_is_served(site: Site, path: str) -> None:
    assert site.get(path).status_code == 404


def test_cors_is_off_unless_configured(site: Site) -> None:
    answer = site.client.options(
        "/api/v1/probe/amount",
        headers={"Origin": "https://app.example", "Access-Control-Request-Method": "GET"},
    )

    assert "access-control-allow-origin" not in answer.headers
