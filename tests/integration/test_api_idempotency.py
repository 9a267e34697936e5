"""`Idempotency-Key` on the residents' API (ADR 0074): a phone app that retries a POST after
a timeout gets the first answer, and what it asked for happens once. Every POST that
changes something is checked: the same key and body replay the answer, the key with
another body is 422, keys are each resident's own, and without a key nothing changes.
Requests sent at once with one key run once on PostgreSQL (and SQLite) behind `lk serve`."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import attrs
import httpx
import pytest

from access_fixtures import IVANOV, PASSWORD, PETROVA
from api_site import API, ApiClient, an_api_site
from conftest import SQL_DATABASES, empty_database_url
from lk_core.payments.errors import ProviderUnavailable
from lk_core.payments.online_payment import start_payment_order
from lk_core.requests import RequestStatus, change_status
from lk_web.api import payments as payments_api
from personal_site import Site
from requests_fixtures import a_photo
from served_portal import free_port, production_environment, served_portal

GOROD = "https://www.gorod.ru/pay?account={account}&sum={amount}&order={order}"
SETTINGS = {"LK_REQUESTS_PER_ACCOUNT_PER_DAY": "1000", "LK_PAYMENTS_GOROD_URL": GOROD}
FIELDS = {"category": "plumbing", "description": "Течёт кран", "contact_phone": "+79123456789"}


@attrs.frozen
class Call:
    """A POST of a resident's app: where, its body and another body, and how many times
    what it asks for has happened (counted from storage or the API)."""

    path: str
    body: Any
    other: Any
    effects: Callable[[], int]
    multipart: bool = False


def send(client: ApiClient, call: Call, key: str | None, body: Any = None) -> httpx.Response:
    headers = {**client.headers, **({"Idempotency-Key": key} if key is not None else {})}
    body = call.body if body is None else body
    if call.multipart:
        fields, photos = body
        parts = [(name, (None, value, None)) for name, value in fields.items()]
        parts += [("photos", (f"{i}.jpg", p, "image/jpeg")) for i, p in enumerate(photos)]
        return client.site.client.post(API + call.path, files=parts, headers=headers)
    return client.site.client.post(API + call.path, json=body, headers=headers)


# --- the POSTs, each prepared on a site of its own state ---------------------------------


def a_request(client: ApiClient, done: bool = False) -> str:
    made = send(client, new_request(client), None)
    assert made.status_code == 201, made.text
    request_id: str = made.json()["id"]
    if done:
        ctx = client.site.container.requests()
        change_status(ctx, request_id, RequestStatus.ACCEPTED, "Придём завтра", "Петрова")
        change_status(ctx, request_id, RequestStatus.DONE, "Заменили прокладку", "Петрова")
    return request_id


def history_kinds(client: ApiClient, request_id: str, kind: str) -> int:
    detail = client.get(f"/accounts/{IVANOV}/requests/{request_id}").json()
    return sum(1 for entry in detail["history"] if entry["kind"] == kind)


def submit_reading(client: ApiClient) -> Call:
    line = client.get(f"/accounts/{IVANOV}/meters", params={"service": "HVS"}).json()["lines"][0]
    history = f"/accounts/{IVANOV}/meters/{line['meter_id']}/readings"
    before = len(client.get(history).json()["items"])
    return Call(
        f"/accounts/{IVANOV}/readings",
        {"service": "HVS", "values": {line["key"]: "131.000"}},
        {"service": "HVS", "values": {line["key"]: "132.000"}},
        lambda: len(client.get(history).json()["items"]) - before,
    )


def payment_order(client: ApiClient) -> Call:
    def orders() -> int:
        with client.site.container.uow_factory()() as uow:
            return len(uow.payment_orders.of_account(IVANOV, 1000))

    before = orders()
    return Call(
        f"/accounts/{IVANOV}/payment-orders",
        {"provider": "gorod", "amount": "1500.00"},
        {"provider": "gorod", "amount": "1600.00"},
        lambda: orders() - before,
    )


def new_request(client: ApiClient) -> Call:
    def requests() -> int:
        with client.site.container.uow_factory()() as uow:
            return len(uow.service_requests.of_account(IVANOV))

    before = requests()
    return Call(
        f"/accounts/{IVANOV}/requests",
        (FIELDS, [a_photo()]),
        ({**FIELDS, "description": "Течёт стояк"}, [a_photo()]),
        lambda: requests() - before,
        multipart=True,
    )


def comment(client: ApiClient) -> Call:
    request_id = a_request(client)

    def comments() -> int:
        detail = client.get(f"/accounts/{IVANOV}/requests/{request_id}").json()
        return len(detail["comments"])

    return Call(
        f"/accounts/{IVANOV}/requests/{request_id}/comments",
        {"text": "Дома после 18:00"},
        {"text": "Дома после 19:00"},
        comments,
    )


def rating(client: ApiClient) -> Call:
    request_id = a_request(client, done=True)
    return Call(
        f"/accounts/{IVANOV}/requests/{request_id}/rating",
        {"score": 5},
        {"score": 4},
        lambda: history_kinds(client, request_id, "rated"),
    )


def reopening(client: ApiClient) -> Call:
    request_id = a_request(client, done=True)
    return Call(
        f"/accounts/{IVANOV}/requests/{request_id}/reopening",
        {"reason": "Снова течёт"},
        {"reason": "Опять течёт"},
        lambda: history_kinds(client, request_id, "reopened"),
    )


def email_change(client: ApiClient) -> Call:
    before = len(client.site.emails("ivanov.new@mail.ru"))
    return Call(
        "/me/email",
        {"email": "ivanov.new@mail.ru", "current_password": PASSWORD},
        {"email": "ivanov.other@mail.ru", "current_password": PASSWORD},
        lambda: len(client.site.emails("ivanov.new@mail.ru")) - before,
    )


POSTS: dict[str, Callable[[ApiClient], Call]] = {
    "reading": submit_reading,
    "payment order": payment_order,
    "service request": new_request,
    "comment": comment,
    "rating": rating,
    "reopening": reopening,
    "e-mail change": email_change,
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with an_api_site(tmp_path_factory.mktemp("api_idempotency"), **SETTINGS) as site:
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


def key_for(name: str, test: str) -> str:
    return f"{test}-{name}".replace(" ", "-")


@pytest.mark.parametrize("name", POSTS)
def test_a_retry_with_the_key_gets_the_first_answer_and_does_nothing_again(
    ivanov: ApiClient, name: str
) -> None:
    call = POSTS[name](ivanov)
    key = key_for(name, "retry")

    first = send(ivanov, call, key)
    retry = send(ivanov, call, key)

    assert first.is_success, first.text
    assert (retry.status_code, retry.content) == (first.status_code, first.content)
    assert retry.headers["content-type"] == first.headers["content-type"]
    assert retry.headers.get("location") == first.headers.get("location")
    assert retry.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert call.effects() == 1


@pytest.mark.parametrize("name", POSTS)
def test_the_key_with_another_body_is_refused_and_changes_nothing(
    ivanov: ApiClient, name: str
) -> None:
    call = POSTS[name](ivanov)
    key = key_for(name, "other")
    assert send(ivanov, call, key).is_success

    other = send(ivanov, call, key, call.other)

    assert other.status_code == 422, other.text
    assert other.headers["content-type"] == "application/problem+json"
    assert other.json()["code"] == "idempotency_key_reused"
    assert call.effects() == 1


@pytest.mark.parametrize("name", ["reading", "payment order", "service request", "comment"])
def test_without_a_key_a_repeat_runs_again_as_before(ivanov: ApiClient, name: str) -> None:
    call = POSTS[name](ivanov)

    assert send(ivanov, call, None).is_success
    assert send(ivanov, call, None).is_success

    assert call.effects() == 2


def test_another_device_of_the_resident_shares_the_key(site: Site, ivanov: ApiClient) -> None:
    tablet = ApiClient(site)
    assert tablet.sign_in(IVANOV, device="Планшет").status_code == 201
    call = payment_order(ivanov)

    first = send(ivanov, call, "one-payment")
    again = send(tablet, call, "one-payment")

    assert again.headers["idempotent-replayed"] == "true"
    assert again.content == first.content
    assert call.effects() == 1


def test_two_residents_keys_never_collide(ivanov: ApiClient, petrova: ApiClient) -> None:
    ivanovs = payment_order(ivanov)
    petrovas = attrs.evolve(ivanovs, path=f"/accounts/{PETROVA}/payment-orders")

    first = send(ivanov, ivanovs, "my-first-payment")
    second = send(petrova, petrovas, "my-first-payment")

    assert first.status_code == second.status_code == 201, second.text
    assert "idempotent-replayed" not in second.headers
    assert second.json()["order"]["account"] == PETROVA
    assert ivanovs.effects() == 1


def test_a_new_request_built_anew_with_another_boundary_is_the_same_request(
    ivanov: ApiClient,
) -> None:
    call = new_request(ivanov)
    first = send(ivanov, call, "request-rebuilt")
    fields, photos = call.body
    parts = [(name, (None, value, None)) for name, value in fields.items()]
    parts.append(("photos", ("0.jpg", photos[0], "image/jpeg")))
    rebuilt = httpx.Request("POST", "http://lk.test/", files=parts)
    content_type = rebuilt.headers["content-type"]
    assert content_type != first.request.headers["content-type"]  # a boundary of its own
    headers = {**ivanov.headers, "Idempotency-Key": "request-rebuilt"}

    retry = ivanov.site.client.post(
        API + call.path, content=rebuilt.read(), headers={**headers, "Content-Type": content_type}
    )

    assert retry.headers["idempotent-replayed"] == "true"
    assert retry.content == first.content
    assert call.effects() == 1


def test_a_new_request_with_another_photo_under_the_key_is_refused(ivanov: ApiClient) -> None:
    call = new_request(ivanov)
    send(ivanov, call, "request-photo")

    other = send(ivanov, call, "request-photo", (FIELDS, [a_photo("PNG")]))

    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    assert call.effects() == 1


def test_a_refusal_is_kept_and_repeated_like_any_answer(ivanov: ApiClient) -> None:
    not_done = a_request(ivanov)
    too_early = Call(
        f"/accounts/{IVANOV}/requests/{not_done}/rating", {"score": 5}, None, lambda: 0
    )

    first = send(ivanov, too_early, "rate-too-early")
    repeat = send(ivanov, too_early, "rate-too-early")

    assert first.status_code == repeat.status_code == 422
    assert repeat.json() == first.json()
    assert repeat.headers["idempotent-replayed"] == "true"


def test_a_provider_down_is_not_kept_so_the_retry_it_asks_for_runs(
    ivanov: ApiClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    call = payment_order(ivanov)
    down = [True]

    def start_unless_down(*args: Any) -> Any:
        if down.pop() if down else False:
            raise ProviderUnavailable("gorod", "503 from the provider")
        return start_payment_order(*args)

    monkeypatch.setattr(payments_api, "start_payment_order", start_unless_down)

    first = send(ivanov, call, "provider-down")
    retry = send(ivanov, call, "provider-down")

    assert first.status_code == 503
    assert first.json()["code"] == "provider_unavailable"
    assert retry.status_code == 201, retry.text
    assert "idempotent-replayed" not in retry.headers
    assert call.effects() == 1
    assert send(ivanov, call, "provider-down").content == retry.content


@pytest.mark.parametrize("value", ["", "x" * 256, "ключ"])
def test_a_key_of_the_wrong_form_is_refused_naming_the_header(
    ivanov: ApiClient, value: str
) -> None:
    call = payment_order(ivanov)
    headers = {**ivanov.headers, "Idempotency-Key": value.encode()}

    answer = ivanov.site.client.post(API + call.path, json=call.body, headers=headers)

    assert answer.status_code == 400
    assert answer.json()["errors"][0]["field"] == "Idempotency-Key"
    assert call.effects() == 0


def test_the_password_sent_to_change_the_email_is_no_part_of_the_fingerprint(
    ivanov: ApiClient,
) -> None:
    """Were it hashed into the fingerprint, another password would be another request."""
    call = email_change(ivanov)
    first = send(ivanov, call, "email-password")
    sent = {**call.body, "current_password": "не тот пароль"}

    retry = send(ivanov, call, "email-password", sent)

    assert retry.headers["idempotent-replayed"] == "true"
    assert retry.content == first.content
    assert call.effects() == 1


def test_another_residents_account_is_404_under_a_key_too(ivanov: ApiClient) -> None:
    call = attrs.evolve(payment_order(ivanov), path=f"/accounts/{PETROVA}/payment-orders")

    assert send(ivanov, call, "not-mine").status_code == 404
    assert send(ivanov, call, "not-mine").status_code == 404


def test_the_password_change_takes_no_key(site: Site) -> None:
    """Its answer is a new access token (not to be kept in the requests' table) and the old
    token a retry would carry no longer works: the operation does not declare the header."""
    document = site.client.get(f"{API}/openapi.json").json()
    posts = {
        path: operation["post"]
        for path, operation in document["paths"].items()
        if "post" in operation and operation["post"].get("security") == [{"bearer": []}]
    }

    def header_names(operation: dict[str, Any]) -> set[str]:
        return {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}

    without = {path for path, op in posts.items() if "Idempotency-Key" not in header_names(op)}
    assert without == {f"{API}/me/password"}
    assert len(posts) == 8
    assert all("409" in op["responses"] and "422" in op["responses"]
               for path, op in posts.items() if path not in without)  # fmt: skip


# --- a real server, requests at once --------------------------------------------------------

CLIENTS = 6


@pytest.fixture(scope="module", params=SQL_DATABASES)
def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    """`lk serve` over a database with the API's data, its clock the real one: the site
    that loaded the data, its client calling the server."""
    folder = tmp_path_factory.mktemp("served")
    with (
        empty_database_url(request.param, folder) as url,
        an_api_site(folder, LK_DATABASE_URL=url, **SETTINGS) as site,
    ):
        site.clock.at = dt.datetime.now(dt.UTC)
        port = free_port()
        env = production_environment(
            folder, port, LK_DATABASE_URL=url, LK_RECEIPTS_FOLDER=str(folder / "receipts"),
            **SETTINGS,
        )  # fmt: skip
        with (
            served_portal(env, port, folder / "server.log") as base_url,
            httpx.Client(base_url=base_url, timeout=30) as client,
        ):
            yield attrs.evolve(site, client=client)


@pytest.mark.parametrize("name", POSTS)
def test_requests_sent_at_once_with_one_key_run_once(served: Site, name: str) -> None:
    phone = ApiClient(served)
    assert phone.sign_in(IVANOV).status_code == 201
    call = POSTS[name](phone)
    start = threading.Barrier(CLIENTS)

    def post(_: int) -> httpx.Response:
        start.wait()
        return send(phone, call, key_for(name, "at-once"))

    with ThreadPoolExecutor(CLIENTS) as pool:
        answers = list(pool.map(post, range(CLIENTS)))

    ran = [a for a in answers if a.is_success and "idempotent-replayed" not in a.headers]
    assert len(ran) == 1, [(a.status_code, a.text[:200]) for a in answers]
    others = [a for a in answers if a is not ran[0]]
    waited = [a for a in others if a.status_code == 409]
    assert all(a.json()["code"] == "idempotency_key_in_progress" for a in waited)
    replayed = [a for a in others if a.status_code != 409]
    assert all(a.headers.get("idempotent-replayed") == "true" for a in replayed)
    assert all(a.content == ran[0].content for a in replayed)
    assert call.effects() == 1
