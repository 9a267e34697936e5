"""Service requests (F30) over the JSON API: the categories, a new request with photos in
one multipart call, the list, a request with its history and thread, commenting, rating,
reopening, the photos; the same rules as the pages; another resident's request is 404."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from httpx import Response
from PIL import Image

from access_fixtures import IVANOV, PETROVA
from api_site import API, ApiClient, an_api_site
from lk_core.requests import RequestStatus, change_status, comment_as_dispatcher
from personal_site import Site
from requests_fixtures import a_photo

FIELDS = {
    "category": "plumbing",
    "description": "Течёт стояк в ванной",
    "contact_phone": "+7 912 345-67-89",
    "visit_window": "после 18:00",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with an_api_site(tmp_path_factory.mktemp("api_requests")) as site:
        yield site


@pytest.fixture
def ivanov(site: Site) -> ApiClient:
    client = ApiClient(site)
    assert client.sign_in(IVANOV).status_code == 201
    return client


@pytest.fixture
def petrova(site: Site) -> ApiClient:
    client = ApiClient(site)
    assert client.sign_in(PETROVA).status_code == 201
    return client


def create(
    client: ApiClient, account: str, photos: list[bytes] | None = None, **fields: str
) -> Response:
    """Always `multipart/form-data`, photos or not (a field is a part without a file name)."""
    parts: list[tuple[str, tuple[str | None, bytes | str, str | None]]] = [
        (name, (None, value, None)) for name, value in {**FIELDS, **fields}.items()
    ]
    parts += [("photos", (f"{i}.jpg", p, "image/jpeg")) for i, p in enumerate(photos or [])]
    return client.site.client.post(
        f"{API}/accounts/{account}/requests", files=parts, headers=client.headers
    )


def made(client: ApiClient, account: str = IVANOV, **kwargs: Any) -> dict[str, Any]:
    answer = create(client, account, **kwargs)
    assert answer.status_code == 201, answer.text
    body: dict[str, Any] = answer.json()
    return body


def test_the_categories_come_from_configuration(ivanov: ApiClient) -> None:
    answer = ivanov.get("/request-categories")

    assert answer.status_code == 200
    codes = [c["code"] for c in answer.json()["items"]]
    assert codes[:2] == ["plumbing", "electrics"]
    assert answer.json()["items"][0]["title"] == "Сантехника"
    assert "etag" in answer.headers


def test_a_request_with_photos_is_made_listed_and_read(ivanov: ApiClient) -> None:
    answer = create(ivanov, IVANOV, [a_photo(), a_photo("PNG")], emergency="true")

    assert answer.status_code == 201, answer.text
    request = answer.json()
    assert request["status"] == "new"
    assert request["status_name"] == "новая"
    assert request["emergency"] is True
    assert request["contact_phone"] == "+79123456789"
    assert request["category_title"] == "Сантехника"
    assert answer.headers["location"] == f"{API}/accounts/{IVANOV}/requests/{request['id']}"

    listed = ivanov.get(f"/accounts/{IVANOV}/requests").json()["items"]
    assert request["id"] in [r["id"] for r in listed]

    one = ivanov.get(f"/accounts/{IVANOV}/requests/{request['id']}")
    assert one.status_code == 200
    detail = one.json()
    assert [h["kind"] for h in detail["history"]] == ["created"]
    assert len(detail["photos"]) == 2
    assert detail["can_rate"] is False
    assert detail["can_reopen"] is False

    photo = detail["photos"][0]
    full = ivanov.site.client.get(photo["url"], headers=ivanov.headers)
    thumb = ivanov.site.client.get(photo["thumbnail_url"], headers=ivanov.headers)
    assert full.status_code == thumb.status_code == 200
    assert full.headers["content-type"] == "image/jpeg"
    assert Image.open(io.BytesIO(full.content)).size == (photo["width"], photo["height"])
    assert Image.open(io.BytesIO(thumb.content)).size < Image.open(io.BytesIO(full.content)).size
    assert full.headers["x-content-type-options"] == "nosniff"
    assert ivanov.site.client.get(photo["url"]).status_code == 401


def test_the_forms_rules_hold_naming_the_field(ivanov: ApiClient) -> None:
    unknown = create(ivanov, IVANOV, category="bakery")
    empty = create(ivanov, IVANOV, description="  ")
    not_a_photo = create(ivanov, IVANOV, [b"%PDF-1.4 not a picture"])

    for answer, field in ((unknown, "category"), (empty, "description")):
        assert answer.status_code == 400, answer.text
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert [e["field"] for e in answer.json().get("errors", [])] == [field], answer.text
    assert not_a_photo.status_code == 422, not_a_photo.text
    assert not_a_photo.json()["code"] == "photo_rejected"


def test_comment_rate_and_reopen_by_the_pages_rules(site: Site, ivanov: ApiClient) -> None:
    request_id = made(ivanov)["id"]
    base = f"/accounts/{IVANOV}/requests/{request_id}"

    too_early = ivanov.post(base + "/rating", {"score": 5})
    assert too_early.status_code == 422, too_early.text

    comment = ivanov.post(base + "/comments", {"text": "Дома после 18:00"})
    assert comment.status_code == 201, comment.text
    assert comment.json()["author"] == "resident"
    assert ivanov.post(base + "/comments", {"text": " "}).status_code == 400

    ctx = site.container.requests()
    change_status(ctx, request_id, RequestStatus.ACCEPTED, "Мастер придёт завтра", "Петрова")
    comment_as_dispatcher(ctx, request_id, "Оставьте доступ к стояку", "Петрова")
    change_status(ctx, request_id, RequestStatus.DONE, "Заменили участок трубы", "Петрова")

    detail = ivanov.get(base).json()
    assert detail["can_rate"] is True
    assert detail["can_reopen"] is True
    authors = {(c["author"], c["author_name"]) for c in detail["comments"]}
    assert authors == {("resident", ""), ("dispatcher", "Петрова")}

    assert ivanov.post(base + "/rating", {"score": 9}).status_code == 400
    rated = ivanov.post(base + "/rating", {"score": 4, "comment": "Быстро"})
    assert rated.status_code == 200, rated.text
    assert rated.json()["rating"] == {"score": 4, "comment": "Быстро"}
    assert ivanov.post(base + "/rating", {"score": 5}).status_code == 422

    reopened = ivanov.post(base + "/reopening", {"reason": "Снова течёт"})
    assert reopened.status_code == 200, reopened.text
    assert reopened.json()["status"] == "new"
    assert reopened.json()["rating"] is None
    assert ivanov.post(base + "/reopening", {"reason": "Ещё раз"}).status_code == 422
    kinds = [h["kind"] for h in ivanov.get(base).json()["history"]]
    assert kinds == ["created", "status", "status", "rated", "reopened"]


def test_another_residents_request_and_photos_are_not_found(
    ivanov: ApiClient, petrova: ApiClient
) -> None:
    hers = made(petrova, PETROVA, photos=[a_photo()])
    detail = petrova.get(f"/accounts/{PETROVA}/requests/{hers['id']}").json()
    photo_id = detail["photos"][0]["id"]

    paths = [
        f"/accounts/{PETROVA}/requests",
        f"/accounts/{PETROVA}/requests/{hers['id']}",
        f"/accounts/{IVANOV}/requests/{hers['id']}",
        f"/accounts/{IVANOV}/requests/{hers['id']}/photos/{photo_id}",
        f"/accounts/{IVANOV}/requests/{hers['id']}/photos/{photo_id}?size=thumb",
        f"/accounts/{PETROVA}/requests/{hers['id']}/photos/{photo_id}",
    ]
    for path in paths:
        assert ivanov.get(path).status_code == 404, path
    for action, body in (("comments", {"text": "x"}), ("rating", {"score": 5}),
                         ("reopening", {"reason": "x"})):  # fmt: skip
        path = f"/accounts/{IVANOV}/requests/{hers['id']}/{action}"
        assert ivanov.post(path, body).status_code == 404, path
    assert create(ivanov, PETROVA).status_code == 404
    assert [r["id"] for r in petrova.get(f"/accounts/{PETROVA}/requests").json()["items"]] == [
        hers["id"]
    ]


def test_every_operation_is_documented(site: Site) -> None:
    document = site.client.get(f"{API}/openapi.json").json()
    base = f"{API}/accounts/{{account}}/requests"
    wanted = {
        (f"{API}/request-categories", "get"),
        (base, "get"),
        (base, "post"),
        (base + "/{request_id}", "get"),
        (base + "/{request_id}/comments", "post"),
        (base + "/{request_id}/rating", "post"),
        (base + "/{request_id}/reopening", "post"),
        (base + "/{request_id}/photos/{photo_id}", "get"),
    }
    for path, method in wanted:
        operation = document["paths"][path][method]
        assert operation["summary"]
        assert operation["security"] == [{"bearer": []}]
        assert {"401", "404", "500"} <= set(operation["responses"]) or path.endswith("categories")
    create_body = document["paths"][base]["post"]["requestBody"]["content"]
    assert "multipart/form-data" in create_body


def test_the_body_is_multipart_and_its_photos_are_limited(ivanov: ApiClient) -> None:
    before = ivanov.get(f"/accounts/{IVANOV}/requests").json()["items"]
    as_json = ivanov.post(f"/accounts/{IVANOV}/requests", FIELDS)
    not_a_flag = create(ivanov, IVANOV, emergency="может быть")
    six = create(ivanov, IVANOV, [a_photo()] * 6)
    too_large = create(ivanov, IVANOV, [b"\xff\xd8" + bytes(11 * 1024 * 1024)])

    assert as_json.status_code == 415, as_json.text
    assert not_a_flag.status_code == 400, not_a_flag.text
    assert [e["field"] for e in not_a_flag.json()["errors"]] == ["emergency"]
    assert six.status_code == 400, six.text
    assert [e["field"] for e in six.json()["errors"]] == ["photos"]
    assert too_large.status_code == 413, too_large.text
    assert too_large.headers["content-type"] == "application/problem+json"
    assert ivanov.get(f"/accounts/{IVANOV}/requests").json()["items"] == before


def test_a_photo_is_revalidated_by_its_etag(ivanov: ApiClient) -> None:
    request = made(ivanov, photos=[a_photo()])
    detail = ivanov.get(f"/accounts/{IVANOV}/requests/{request['id']}").json()
    url = detail["photos"][0]["url"]

    first = ivanov.site.client.get(url, headers=ivanov.headers)
    again = ivanov.site.client.get(
        url, headers={**ivanov.headers, "If-None-Match": first.headers["etag"]}
    )

    assert first.status_code == 200
    assert first.headers["cache-control"] == "private, no-cache"
    assert again.status_code == 304
    assert again.content == b""


def test_a_request_is_numbered_in_digits_and_found_by_its_id_only(
    site: Site, ivanov: ApiClient
) -> None:
    first, second = made(ivanov), made(ivanov)

    assert first["number"].isdigit()
    assert int(second["number"]) > int(first["number"])
    listed = ivanov.get(f"/accounts/{IVANOV}/requests").json()["items"]
    assert {r["id"]: r["number"] for r in listed}[first["id"]] == first["number"]
    # A number is easy to guess: the API names a request by its id, never by its number.
    assert ivanov.get(f"/accounts/{IVANOV}/requests/{first['number']}").status_code == 404
    document = site.client.get(f"{API}/openapi.json").json()
    schema = document["components"]["schemas"]["RequestOut"]
    number = schema["properties"]["number"]
    assert (number["type"], number["pattern"]) == ("string", "^[0-9]+$")
    assert "по порядку подачи" in number["description"]
