"""The desk and the residents' pages never open to each other's sessions (F32, SECURITY.md):
every `/office` route for staff sends an anonymous visitor, a resident (by their own
cookie, or their session id put in the desk's cookie) and a half-signed-in staff member
to the desk's sign-in; a staff session opens no resident page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from httpx import Response

from access_fixtures import IVANOV, PASSWORD
from integration.test_signed_in_routes import PARAMETER, SIGNED_IN_ONLY_ROUTES, STAFF_ONLY_ROUTES
from lk_web.resident import SIGNED_OUT
from office_fixtures import OFFICE_COOKIE, an_office, enter_password, sign_in_to_office
from personal_site import SESSION_COOKIE, Site

VISITORS = [
    "no cookie",
    "a resident's session",
    "a resident's session id as the desk's cookie",
    "a staff member before the code",
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with an_office(tmp_path_factory.mktemp("office_routes")) as site:
        yield site


def call(site: Site, method: str, template: str) -> Response:
    path = PARAMETER.sub("a1", template)
    return site.get(path) if method == "GET" else site.post(path, {})


def become(site: Site, visitor: str) -> None:
    site.client.cookies.clear()
    if visitor == "no cookie":
        return
    if visitor == "a staff member before the code":
        enter_password(site, "boss")
        return
    site.sign_in(IVANOV, PASSWORD)
    if visitor == "a resident's session id as the desk's cookie":
        raw = site.client.cookies.get(SESSION_COOKIE)
        site.client.cookies.clear()
        site.client.cookies.set(OFFICE_COOKIE, raw)


def test_the_desk_has_staff_only_routes_to_walk() -> None:
    assert ("GET", "/office") in STAFF_ONLY_ROUTES
    assert ("GET", "/office/audit") in STAFF_ONLY_ROUTES
    assert ("POST", "/office/announcements") in STAFF_ONLY_ROUTES
    assert {
        ("GET", "/office/requests"),
        ("GET", "/office/requests/find"),
        ("GET", "/office/requests/{request_id:str}"),
        ("POST", "/office/requests/{request_id:str}/assign"),
        ("POST", "/office/requests/{request_id:str}/status"),
        ("POST", "/office/requests/{request_id:str}/reject"),
        ("POST", "/office/requests/{request_id:str}/comment"),
        ("GET", "/office/requests/{request_id:str}/photos/{photo_id:str}"),
        ("GET", "/office/announcements/{announcement_id:str}"),
        ("POST", "/office/announcements/{announcement_id:str}"),
        ("POST", "/office/announcements/{announcement_id:str}/withdraw"),
        ("POST", "/office/announcements/{announcement_id:str}/correction"),
        ("POST", "/office/announcements/{announcement_id:str}/send"),
    } <= set(STAFF_ONLY_ROUTES)
    assert len(STAFF_ONLY_ROUTES) >= 12


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize(("method", "template"), STAFF_ONLY_ROUTES)
def test_whoever_is_not_signed_in_to_the_desk_is_sent_to_its_sign_in(
    site: Site, method: str, template: str, visitor: str
) -> None:
    become(site, visitor)

    answer = call(site, method, template)

    assert answer.status_code == 303, answer.text[:300]
    assert answer.headers["location"] == "/office/sign-in"
    assert answer.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("as_resident_cookie", [False, True])
@pytest.mark.parametrize(("method", "template"), SIGNED_IN_ONLY_ROUTES)
def test_a_staff_session_opens_no_residents_page(
    site: Site, method: str, template: str, as_resident_cookie: bool
) -> None:
    site.client.cookies.clear()
    raw = sign_in_to_office(site, "boss")
    site.clock.advance(seconds=30)  # the next sign-in needs the next code
    if as_resident_cookie:
        site.client.cookies.set(SESSION_COOKIE, raw)

    answer = call(site, method, template)

    assert answer.status_code == 303, answer.text[:300]
    assert answer.headers["location"] == SIGNED_OUT


def test_a_desk_form_without_the_csrf_token_changes_nothing(site: Site) -> None:
    site.client.cookies.clear()
    sign_in_to_office(site, "boss")
    site.clock.advance(seconds=30)

    answer = site.client.post(
        "/office/announcements",
        data={"action": "post", "kind": "news", "title": "Подделка", "text": "Текст",
              "starts_on": "2026-03-02", "ends_on": "2026-03-02", "all_houses": "yes"},
        follow_redirects=False,
    )  # fmt: skip

    assert answer.status_code == 403
    with site.container.uow_factory()(read_only=True) as uow:
        assert [a.title for a in uow.announcements.recent(50) if a.title == "Подделка"] == []


def test_a_desk_form_from_another_origin_is_refused(site: Site) -> None:
    site.client.cookies.clear()
    sign_in_to_office(site, "boss")
    site.clock.advance(seconds=30)

    answer = site.post("/office/sign-in/out", headers={"Origin": "https://evil.example"})

    assert answer.status_code == 403
    assert site.get("/office").status_code == 200
