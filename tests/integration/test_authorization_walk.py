"""Every route of the app, walked as resident A with resident B's account number in every path
parameter: no answer shows B's number or name, and every route that takes an account answers
404 for B's (SECURITY.md: a resident sees only their own and linked accounts).

The walk reads `app.routes`, so a route added later is walked without touching this test; a
route whose path parameter names an account must be listed in ACCOUNT_PARAMETERS."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from httpx import Response
from litestar.routes import HTTPRoute
from PIL import Image

from access_fixtures import PASSWORD
from lk_web.app import CSRF_EXEMPT
from personal_site import SESSION_COOKIE, Site, a_site, non_demo_settings

B_PASSWORD = "кленовый лист в ноябре"
A, A_LINKED = "100234", "100236"
B, B_LINKED = "100235", "100237"
# What of B's must never reach A: the numbers and the names of B's own and linked accounts.
B_SECRETS = (B, B_LINKED, "Семёнов", "Семенов", "Сидоров", "semenov@mail.ru")
ACCOUNT_PARAMETERS = {"number", "account", "account_key", "account_number"}
# Forms that name an account in a field rather than the path; the walk fills it with B's.
ACCOUNT_FORM_FIELDS = {"/accounts/switch": "account"}
PARAMETER = re.compile(r"\{(\w+)(?::\w+)?\}")
WALKED_METHODS = ("GET", "POST")


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    """A real deployment (no demo outbox): A links Петрова, B links Сидоров."""
    with a_site(tmp_path, **non_demo_settings()) as site:
        site.register(A, "ivanov@mail.ru", PASSWORD)
        site.register(B, "semenov@mail.ru", B_PASSWORD)
        site.sign_in(B, B_PASSWORD)
        link(site, B_LINKED, "Сидоров")
        site.client.cookies.clear()
        site.sign_in(A, PASSWORD)
        link(site, A_LINKED, "Петрова")
        yield site


def link(site: Site, number: str, surname: str) -> None:
    answer = site.post("/personal/accounts", {"number": number, "surname": surname})
    assert answer.status_code == 303


def routes(site: Site) -> list[tuple[str, str, set[str]]]:
    """(method, path template, path parameter names) of every walkable route."""
    found = []
    for route in site.app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        methods = {m for handler in route.route_handlers for m in handler.http_methods}
        for method in WALKED_METHODS:
            if method in methods:
                found.append((method, route.path, set(PARAMETER.findall(route.path))))
    return found


def filled(path: str, value: str) -> str:
    return PARAMETER.sub(value, path)


def as_a(site: Site, method: str, path: str, data: dict[str, str] | None = None) -> Response:
    """One request as A, signed in afresh (a walked route may have signed A out)."""
    site.client.cookies.delete(SESSION_COOKIE)
    site.sign_in(A, PASSWORD)
    if method == "GET":
        return site.get(path)
    return site.post(path, data or {})


def assert_shows_nothing_of_b(answer: Response, where: str) -> None:
    for secret in B_SECRETS:
        assert secret not in answer.text, f"{where} shows {secret!r} of resident B"
        for name, value in answer.headers.items():
            assert secret not in value, f"{where} puts {secret!r} of B in its {name} header"


@pytest.mark.parametrize("b_account", [B, B_LINKED])
def test_no_route_shows_resident_b_to_resident_a(site: Site, b_account: str) -> None:
    walked = routes(site)
    assert len(walked) >= 20, "the walk should see the whole app"
    taking_an_account = 0

    for method, template, parameters in walked:
        path = filled(template, b_account)
        field = ACCOUNT_FORM_FIELDS.get(template) if method == "POST" else None
        answer = as_a(site, method, path, {field: b_account} if field else None)
        where = f"{method} {path} ({answer.status_code})"
        assert answer.status_code < 500, where
        assert_shows_nothing_of_b(answer, where)
        if template.startswith("/api/v1/"):
            # The JSON API takes a bearer token, never the cookie: A's session opens none
            # of it (its own walk with A's token: test_api_schema_fuzz.py).
            # A form where JSON is due is refused (400) before the token is looked at.
            if parameters & ACCOUNT_PARAMETERS:
                assert answer.status_code in (400, 401, 404), where
            continue
        if parameters & ACCOUNT_PARAMETERS or field:
            taking_an_account += 1
            assert answer.status_code == 404, f"{where} should not find B's account"

    assert taking_an_account >= 2


@pytest.mark.parametrize("b_account", [B, B_LINKED, "100235-А", " 100 235 "])
def test_switching_to_resident_bs_account_is_not_found_and_changes_nothing(
    site: Site, b_account: str
) -> None:
    answer = as_a(site, "POST", "/accounts/switch", {"account": b_account, "next": "/personal"})

    assert answer.status_code == 404
    assert_shows_nothing_of_b(answer, "POST /accounts/switch")
    page = site.get("/personal")
    assert page.status_code == 200
    assert "Иванов Иван Иванович" in page.text
    assert_shows_nothing_of_b(page, "GET /personal after the switch")


def test_a_switches_between_the_own_and_the_linked_account_only(site: Site) -> None:
    assert as_a(site, "POST", "/accounts/switch", {"account": A_LINKED}).status_code == 303

    for path in ("/home", "/personal"):
        page = site.get(path)
        assert page.status_code == 200
        assert A_LINKED in page.text
        assert_shows_nothing_of_b(page, path)


def test_the_walk_knows_the_routes_that_take_an_account(site: Site) -> None:
    templates = {template for _, template, _ in routes(site)}

    assert "/personal/accounts/{number:str}/unlink" in templates
    assert "/accounts/switch" in templates


def test_no_form_is_taken_without_its_csrf_token(site: Site) -> None:
    posts = [t for m, t, _ in routes(site) if m == "POST" and not t.startswith(CSRF_EXEMPT)]
    assert len(posts) >= 10, "the walk should see every form"

    for template in posts:
        site.client.cookies.delete(SESSION_COOKIE)
        site.sign_in(A, PASSWORD)
        path = filled(template, A_LINKED)
        answer = site.client.post(path, data={"account": A_LINKED}, follow_redirects=False)
        assert answer.status_code == 403, f"POST {path} took a form without the CSRF token"
    assert A_LINKED in site.linked(A)


# --- service requests (F30): B's request and photo, walked as A ---------------------------

REQUEST_PARAMETERS = {"request_id", "photo_id"}


def test_no_request_route_shows_resident_bs_request_or_photo(tmp_path: Path) -> None:
    with a_site(
        tmp_path, **non_demo_settings(), LK_REQUESTS_PHOTO_FOLDER=str(tmp_path / "photos")
    ) as site:
        site.register(A, "ivanov@mail.ru", PASSWORD)
        site.register(B, "semenov@mail.ru", B_PASSWORD)
        site.sign_in(B, B_PASSWORD)
        photo = io.BytesIO()
        Image.new("RGB", (64, 48), (1, 2, 3)).save(photo, format="JPEG")
        made = site.post(
            "/requests/new",
            {"category": "plumbing", "description": "Секрет Семёнова: течёт кран",
             "contact_phone": "+7 912 345-67-89"},
            files=[("photos", ("b.jpg", photo.getvalue(), "image/jpeg"))],
        )  # fmt: skip
        assert made.status_code == 303, made.text[:300]
        b_request = made.headers["location"].split("/")[2].split("?")[0]
        b_photo = re.findall(r"/photos/([0-9a-f]{32})", site.get(f"/requests/{b_request}").text)[0]
        site.client.cookies.clear()
        site.sign_in(A, PASSWORD)

        # The residents' pages; the desk's (staff only: test_office_routes.py) and the
        # JSON API's (a token, not the cookie: test_api_requests.py) walk of their own.
        walked = [
            (m, t, p)
            for m, t, p in routes(site)
            if p & REQUEST_PARAMETERS and not t.startswith(("/office/", "/api/v1/"))
        ]
        assert len(walked) >= 5
        for method, template, _ in walked:
            path = template.replace("{request_id:str}", b_request).replace(
                "{photo_id:str}", b_photo
            )
            answer = as_a(site, method, path, {"text": "x", "score": "5", "reason": "x"})
            where = f"{method} {path} ({answer.status_code})"
            assert answer.status_code == 404, where
            assert "Секрет Семёнова" not in answer.text, where
            assert not answer.content.startswith(b"\xff\xd8"), f"{where} served B's photo"
        assert b_request not in as_a(site, "GET", "/requests").text
