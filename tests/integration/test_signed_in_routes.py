"""One way in and one way out at the web edge (ADR 0041): every page for signed-in residents
sends a visitor who is not one to the front page with the same answer, and a `NotFound`
raised anywhere is the portal's 404 page.

The routes are read from the app `create_app` builds, so a route added later is checked
without touching this test: it takes `resident` (or resolves the visitor in its own read
and says so with `SIGNED_IN_ONLY`), or it is listed below as open to anyone.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
import structlog
from httpx import Response
from litestar import Litestar, get
from litestar.di import NamedDependency, Provide
from litestar.handlers import HTTPRouteHandler
from litestar.routes import HTTPRoute

from access_fixtures import IVANOV, PASSWORD, PETROVA, SURNAMES
from lk_adapters.container import build_container
from lk_adapters.settings import load_settings
from lk_core.access.first_visit import first_visit
from lk_core.access.sessions import session_id_hash
from lk_core.access.sign_in import sign_in
from lk_core.kernel.errors import NotFound
from lk_web.api.auth import requires_token
from lk_web.app import create_app
from lk_web.office.edge import requires_staff
from lk_web.resident import SIGNED_OUT, requires_sign_in
from personal_site import BASE, SESSION_COOKIE, Site, a_site

PARAMETER = re.compile(r"\{(\w+)(?::\w+)?\}")
# Pages and calls that serve anyone; every other route must be for signed-in residents.
OPEN_TO_ANYONE = {
    ("GET", "/"),
    ("POST", "/sign-in"),
    ("POST", "/first-visit"),
    ("POST", "/sign-out"),
    ("GET", "/register"),
    ("POST", "/register"),
    ("GET", "/register/sms"),
    ("POST", "/register/sms/send"),
    ("POST", "/register/sms/check"),
    ("POST", "/register/sms/complete"),
    ("GET", "/register/confirm/{token:str}"),
    ("GET", "/password/forgot"),
    ("POST", "/password/forgot"),
    ("GET", "/password/reset/{token:str}"),
    ("POST", "/password/reset/{token:str}"),
    ("GET", "/personal/email/confirm/{token:str}"),
    # The owner answers a link request from the letter, signed in or not: the token is
    # the proof, as in the other e-mailed links.
    ("GET", "/personal/link-requests/{token:str}"),
    ("POST", "/personal/link-requests/{token:str}"),
    ("GET", "/privacy"),
    ("GET", "/healthz"),
    ("GET", "/readyz"),
    ("POST", "/api/v1/payments/callbacks/{provider:str}"),
    ("GET", "/static/{file_path:path}"),
    # The installable app (ADR 0067): versioned static files, the manifest and its icons.
    ("GET", "/assets/{version:str}/{name:str}"),
    ("GET", "/manifest.webmanifest"),
    ("GET", "/icon.svg"),
    ("GET", "/icons/{name:str}"),
    ("GET", "/demo/outbox"),
    ("GET", "/demo/provider/{code:str}"),
    ("POST", "/demo/acquiring/v3/payments"),
    ("GET", "/demo/acquiring/v3/payments/{payment_id:str}"),
    ("GET", "/demo/acquiring/checkout/{payment_id:str}"),
    ("POST", "/demo/acquiring/checkout/{payment_id:str}"),
    # The staff's desk (F32): its sign-in is open; every other /office route takes `staff`
    # (STAFF_ONLY_ROUTES, walked by test_office_routes.py).
    ("GET", "/office/sign-in"),
    ("POST", "/office/sign-in"),
    ("GET", "/office/sign-in/code"),
    ("POST", "/office/sign-in/code"),
    ("POST", "/office/sign-in/enrol"),
    ("POST", "/office/sign-in/out"),
    # --- JSON API v1 (F28): its OpenAPI document (and Litestar's 404 under its address)
    ("GET", "/api/v1/openapi.json"),
    ("GET", "/api/v1/openapi.json/openapi.json"),
    ("GET", "/api/v1/openapi.json/{path:str}"),
    # --- JSON API v1: signing in and refreshing (the refresh token is the proof)
    ("POST", "/api/v1/tokens"),
    ("POST", "/api/v1/tokens/refresh"),
    # --- JSON API v1: first visit, registration by SMS code (the registration token is the
    # proof, as the cookie of a first visit), forgotten password
    ("POST", "/api/v1/registration/first-visit"),
    ("POST", "/api/v1/registration"),
    ("POST", "/api/v1/registration/sms/send"),
    ("POST", "/api/v1/registration/sms/check"),
    ("POST", "/api/v1/registration/sms/complete"),
    ("POST", "/api/v1/password-resets"),
    # --- service API (F28): not residents' but other systems', each by an API key with its
    # scope; every one answers 401 without a key (test_service_api_keys.py)
    ("GET", "/api/v1/service/readings/pending"),
    ("POST", "/api/v1/service/readings/results"),
    ("POST", "/api/v1/service/payments/registries"),
    ("POST", "/api/v1/service/messages"),
    ("GET", "/api/v1/service/accounts/{number:str}"),
}


# «Заявки» (F30): the resident's list, form, request page, its forms, and its photos.
REQUEST_ROUTES = [
    ("GET", "/requests"),
    ("GET", "/requests/new"),
    ("POST", "/requests/new"),
    ("GET", "/requests/{request_id:str}"),
    ("POST", "/requests/{request_id:str}/comment"),
    ("POST", "/requests/{request_id:str}/rate"),
    ("POST", "/requests/{request_id:str}/reopen"),
    ("GET", "/requests/{request_id:str}/photos/{photo_id:str}"),
]


def routes_of(app: Litestar) -> list[tuple[str, str, HTTPRouteHandler]]:
    """(method, path template, handler) of every route but HEAD and OPTIONS."""
    found = []
    for route in app.routes:
        if isinstance(route, HTTPRoute):
            for handler in route.route_handlers:
                found += [
                    (method, route.path, handler)
                    for method in sorted(handler.http_methods)
                    if method not in ("HEAD", "OPTIONS")
                ]
    return found


def demo_app_routes() -> list[tuple[str, str, HTTPRouteHandler]]:
    """The routes of the app in demo mode (the most routes), read when tests are collected."""
    saved_logging = structlog.get_config()
    settings = load_settings(
        {"LK_DEMO": "1", "LK_DATABASE_URL": "sqlite:///:memory:", "LK_BASE_URL": BASE}
    )
    try:
        return routes_of(create_app(build_container(settings)))
    finally:
        structlog.configure(**saved_logging)


ROUTES = demo_app_routes()
SIGNED_IN_ONLY_ROUTES = [(m, path) for m, path, handler in ROUTES if requires_sign_in(handler)]
STAFF_ONLY_ROUTES = [(m, path) for m, path, handler in ROUTES if requires_staff(handler)]
# --- JSON API v1 (ADR 0061): routes for the holder of a bearer access token (`holder`)
TOKEN_ONLY_ROUTES = [(m, path) for m, path, handler in ROUTES if requires_token(handler)]
VISITORS = ["no session cookie", "a made-up cookie", "an idle session", "a first visit"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The demo portal with Иванов registered; Петрова's first visit is under way."""
    with a_site(tmp_path_factory.mktemp("signed_in_routes")) as site:
        site.register(IVANOV, "ivanov@mail.ru", PASSWORD)
        yield site


@pytest.fixture(scope="module")
def registering(site: Site) -> str:
    """The session of a first visit: it may fill the registration form, nothing else."""
    access = site.container.access()
    return first_visit(access, PETROVA, SURNAMES[PETROVA], ip="10.0.0.9", current_session=None)


def idle_session(site: Site) -> str:
    """Иванов's session, last seen 31 minutes ago: past the idle timeout (SECURITY.md)."""
    access = site.container.access()
    raw = sign_in(access, IVANOV, PASSWORD, ip="10.0.0.8", current_session=None)
    with site.container.uow_factory()() as uow:
        session = uow.sessions.get(session_id_hash(raw))
        assert session is not None
        session.last_seen_at -= dt.timedelta(minutes=31)
        uow.sessions.save(session)
        uow.commit()
    return raw


def cookie_of(site: Site, visitor: str, registering: str) -> str | None:
    if visitor == "an idle session":
        return idle_session(site)
    if visitor == "a first visit":
        return registering
    return "made-up-" + "x" * 40 if visitor == "a made-up cookie" else None


def request(site: Site, method: str, template: str, cookie: str | None) -> Response:
    site.client.cookies.delete(SESSION_COOKIE)
    if cookie is not None:
        site.client.cookies.set(SESSION_COOKIE, cookie)
    path = PARAMETER.sub("2025-03", template)
    return site.get(path) if method == "GET" else site.post(path, {})


def test_every_route_is_for_signed_in_residents_or_known_to_be_open_to_anyone() -> None:
    unclassified = {
        (method, path)
        for method, path, handler in ROUTES
        if not requires_sign_in(handler)
        and not requires_staff(handler)
        and not requires_token(handler)
        and (method, path) not in OPEN_TO_ANYONE
    }

    assert not unclassified, (
        "a new route: take `resident` (`staff` under /office, `holder` under /api/v1), "
        "or list it in OPEN_TO_ANYONE"
    )
    assert not OPEN_TO_ANYONE & set(SIGNED_IN_ONLY_ROUTES)
    assert not OPEN_TO_ANYONE & set(STAFF_ONLY_ROUTES)
    assert not set(SIGNED_IN_ONLY_ROUTES) & set(STAFF_ONLY_ROUTES)
    assert all(path.startswith("/office") for _, path in STAFF_ONLY_ROUTES)
    assert not [path for _, path in SIGNED_IN_ONLY_ROUTES if path.startswith("/office")]
    assert len(SIGNED_IN_ONLY_ROUTES) >= 17
    assert ("GET", "/home") in SIGNED_IN_ONLY_ROUTES
    # Service requests (F30): every page, form and photo is for the signed-in resident.
    assert set(REQUEST_ROUTES) <= set(SIGNED_IN_ONLY_ROUTES)


# Bodies a token's check must come before: whatever a call without a live token sends, it
# learns only that it is not signed in (not 400 for a body Litestar cannot parse).
BODIES: dict[str, dict[str, Any]] = {
    "an empty object": {"json": {}},
    "not JSON": {"content": b"{not json", "headers": {"Content-Type": "application/json"}},
    "a broken form": {
        "content": b"--x\r\nbroken",
        "headers": {"Content-Type": "multipart/form-data; boundary=x"},
    },
    "an unknown type": {"content": b"\x00\x01", "headers": {"Content-Type": "text/plain"}},
}


@pytest.mark.parametrize(("method", "template"), TOKEN_ONLY_ROUTES)
@pytest.mark.parametrize("authorization", [None, "Bearer made-up-token"])
@pytest.mark.parametrize("body", BODIES)
def test_an_api_route_without_a_live_token_answers_401(
    site: Site, method: str, template: str, authorization: str | None, body: str
) -> None:
    sent = BODIES[body]
    headers = {
        **sent.get("headers", {}),
        **({"Authorization": authorization} if authorization else {}),
    }
    path = PARAMETER.sub("2025-03", template.replace("{account:str}", "100234"))

    answer = site.client.request(
        method, path, headers=headers, json=sent.get("json"), content=sent.get("content")
    )

    assert answer.status_code == 401, answer.text[:300]
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["code"] == "not_signed_in"


def test_the_app_under_test_has_the_routes_read_at_collection(site: Site) -> None:
    assert {(m, path) for m, path, _ in routes_of(site.app)} == {(m, p) for m, p, _ in ROUTES}


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize(("method", "template"), SIGNED_IN_ONLY_ROUTES)
def test_a_visitor_who_is_not_signed_in_is_sent_to_the_front_page(
    site: Site, registering: str, method: str, template: str, visitor: str
) -> None:
    answer = request(site, method, template, cookie_of(site, visitor, registering))

    assert answer.status_code == 303, answer.text[:300]
    assert answer.headers["location"] == SIGNED_OUT
    assert answer.headers["cache-control"] == "no-store"
    assert "set-cookie" not in answer.headers or SESSION_COOKIE not in answer.headers["set-cookie"]


def test_an_idle_session_is_forgotten_when_it_is_turned_away(site: Site) -> None:
    raw = idle_session(site)

    answer = request(site, "GET", "/readings", raw)

    assert answer.headers["location"] == SIGNED_OUT
    assert not site.stored_session(raw)


# --- NotFound, wherever it is raised ------------------------------------------------------


def nothing_here() -> None:
    raise NotFound("probe", "nothing")


@get("/probe/async")
async def raised_on_the_loop() -> None:
    nothing_here()


@get("/probe/thread", sync_to_thread=True)
def raised_in_a_thread() -> None:
    nothing_here()


@get("/probe/dependency", dependencies={"thing": Provide(nothing_here, sync_to_thread=False)})
async def raised_by_a_dependency(thing: NamedDependency[None]) -> None:
    return thing


@get("/api/probe/thread", sync_to_thread=True)
def raised_under_the_api() -> None:
    nothing_here()


@pytest.fixture(scope="module")
def probed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with a_site(tmp_path_factory.mktemp("not_found")) as site:
        for handler in (
            raised_on_the_loop,
            raised_in_a_thread,
            raised_by_a_dependency,
            raised_under_the_api,
        ):
            site.app.register(handler)
        yield site


@pytest.mark.parametrize("path", ["/probe/async", "/probe/thread", "/probe/dependency"])
def test_not_found_raised_anywhere_is_the_styled_404_page(probed: Site, path: str) -> None:
    answer = probed.get(path)

    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("text/html")
    assert "Страница не найдена" in answer.text
    assert "Возможно, ссылка устарела или в адресе опечатка." in answer.text
    assert answer.headers["cache-control"] == "no-store"
    assert "probe" not in answer.text
    assert answer.text == probed.get("/no-such-page").text


def test_not_found_under_the_api_answers_in_json(probed: Site) -> None:
    answer = probed.get("/api/probe/thread")

    assert answer.status_code == 404
    assert answer.json() == {"error": "Страница не найдена"}
