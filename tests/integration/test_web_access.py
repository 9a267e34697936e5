"""Sign-in, registration and recovery through the real app over a SQLite file: forms guarded
by CSRF token and origin, session cookies, security headers, error pages and logs."""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest
import structlog
from httpx import Response
from litestar.testing import TestClient
from sqlalchemy import func, select

from access_fixtures import PASSWORD, SURNAMES, load_accounts, some_accounts
from lk_adapters.container import Container, build_container
from lk_adapters.demo import demo_company
from lk_adapters.settings import load_settings
from lk_adapters.sqlalchemy import tables
from lk_adapters.sqlalchemy.migrations import upgrade_database
from lk_core.access.first_visit import (
    RegistrationForm,
    confirm_registration_link,
    first_visit,
    submit_registration,
)
from lk_core.access.registration import ConfirmationMethod
from lk_core.access.sessions import session_id_hash
from lk_core.access.sign_in import sign_in as core_sign_in
from lk_core.kernel.errors import DomainError
from lk_web.app import create_app
from lk_web.client import ClientFacts
from lk_web.controllers import registration as registration_pages

BASE = "http://testserver.local"
NEW_PASSWORD = "синий трамвай в тумане"
GENERIC_FAILURE = "Неверный номер лицевого счёта или пароль"
CSRF_INPUT = re.compile(r'name="_csrf_token" value="([^"]+)"')


@attrs.define
class Site:
    """A browser on the portal, and the portal's insides for checking what happened."""

    client: TestClient  # type: ignore[type-arg]
    container: Container
    logs: io.StringIO

    @property
    def session_cookie(self) -> str:
        return "__Host-lk_session" if self.container.settings().uses_https else "lk_session"

    def csrf(self) -> str:
        found = CSRF_INPUT.search(self.client.get("/password/forgot").text)
        assert found is not None
        return found[1]

    def post(self, path: str, data: dict[str, str], **kwargs: Any) -> Response:
        return self.client.post(
            path, data={**data, "_csrf_token": self.csrf()}, follow_redirects=False, **kwargs
        )

    def outbox(self) -> str:
        """The demo outbox page: the queued e-mails and SMS, newest first."""
        page = self.client.get("/demo/outbox")
        assert page.status_code == 200
        return html.unescape(page.text)

    def last_link(self, path: str) -> str:
        found = re.search(re.escape(BASE + path) + r"[A-Za-z0-9_-]+", self.outbox())
        assert found is not None, f"no link to {path} in the demo outbox"
        return found[0].removeprefix(BASE)

    def last_sms_code(self) -> str:
        found = re.search(r"Код подтверждения: (\d{6})", self.outbox())
        assert found is not None
        return found[1]

    def count(self, table: Any) -> int:
        with self.container.engine().connect() as connection:
            return int(connection.execute(select(func.count()).select_from(table)).scalar_one())

    def stored_session(self, raw: str) -> bool:
        with self.container.uow_factory()() as uow:
            return uow.sessions.get(session_id_hash(raw)) is not None

    def register(self, number: str, email: str, password: str = PASSWORD) -> None:
        """A confirmed registration, made through the use cases to keep the test short."""
        access = self.container.access()
        raw = first_visit(access, number, SURNAMES[number], ip="10.0.0.1", current_session=None)
        form = RegistrationForm(
            SURNAMES[number], email, password, password, True, ConfirmationMethod.EMAIL
        )
        submit_registration(access, raw, form, ip="10.0.0.1", user_agent="test")
        with self.container.uow_factory()() as uow:
            [text] = [m.email.text for m in uow.outbox.recent(100) if m.recipient == email]
        token = re.search(r"/register/confirm/([A-Za-z0-9_-]+)", text)
        assert token is not None
        confirm_registration_link(access, token[1], ip="10.0.0.1", current_session=None)

    def log_lines(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.logs.getvalue().splitlines() if line.strip()]

    def assert_logs_carry_request_ids_and_none_of(self, *secrets: str) -> None:
        requests = [line for line in self.log_lines() if "path" in line]
        assert requests
        assert all(len(line.get("request_id", "")) >= 16 for line in requests)
        text = self.logs.getvalue()
        for secret in secrets:
            assert secret not in text


@pytest.fixture
def site_for(tmp_path: Path) -> Iterator[Any]:
    """Sites built from environment settings; structlog's output kept for the test."""
    saved_logging = structlog.get_config()
    stack: list[TestClient] = []  # type: ignore[type-arg]

    def build(**env: str) -> Site:
        folder = tmp_path / f"site{len(stack)}"
        folder.mkdir()
        https = env.get("LK_HTTPS") == "true"
        base = BASE.replace("http://", "https://") if https else BASE
        settings = load_settings(
            {
                "LK_DEMO": "1",
                "LK_DATABASE_URL": f"sqlite:///{folder / 'lk.sqlite3'}",
                "LK_BASE_URL": base,
                **env,
            }
        )
        container = build_container(settings)
        upgrade_database(container.engine())
        load_accounts(container.uow_factory(), some_accounts())
        app = create_app(container)
        logs = io.StringIO()
        structlog.configure(logger_factory=structlog.PrintLoggerFactory(file=logs))
        client = TestClient(app=app, base_url=base)
        stack.append(client.__enter__())
        return Site(client, container, logs)

    yield build
    for client in stack:
        client.__exit__(None, None, None)
    structlog.configure(**saved_logging)


@pytest.fixture
def site(site_for: Any) -> Site:
    built: Site = site_for()
    return built


@pytest.fixture
def resident(site: Site) -> Site:
    """The site with Иванов (100234-А) registered as ivanov@mail.ru."""
    site.register("100234", "ivanov@mail.ru")
    return site


def sign_in(site: Site, password: str = PASSWORD, number: str = "100234-А") -> Response:
    return site.post("/sign-in", {"account": number, "password": password})


# --- pages and forms --------------------------------------------------------------------


def test_the_front_page_is_in_russian_with_the_sign_in_and_first_visit_forms(
    site: Site,
) -> None:
    page = site.client.get("/")

    assert page.status_code == 200
    assert '<html lang="ru">' in page.text
    assert 'action="/sign-in"' in page.text
    assert 'action="/first-visit"' in page.text
    assert "Вход" in page.text
    assert "Первый вход" in page.text
    assert 'href="/password/forgot"' in page.text
    assert len(CSRF_INPUT.findall(page.text)) == 2


def test_a_form_post_without_the_csrf_token_is_refused_and_changes_nothing(
    resident: Site,
) -> None:
    site = resident
    sessions, messages, audit = (
        site.count(tables.sessions),
        site.count(tables.outbox_messages),
        site.count(tables.audit_log),
    )

    posts = [
        ("/sign-in", {"account": "100234", "password": PASSWORD}),
        ("/first-visit", {"account": "100235", "surname": "Семёнов"}),
        ("/password/forgot", {"account": "100234", "email": "ivanov@mail.ru"}),
    ]
    for path, data in posts:
        refused = site.client.post(path, data=data, follow_redirects=False)
        assert refused.status_code == 403
        assert site.session_cookie not in refused.cookies

    assert site.count(tables.sessions) == sessions
    assert site.count(tables.outbox_messages) == messages
    assert site.count(tables.audit_log) == audit


@pytest.mark.parametrize(
    "foreign",
    [
        {"Origin": "https://evil.example"},
        {"Origin": "http://testserver.local.evil.example"},
        {"Referer": "https://evil.example/page"},
    ],
)
def test_a_post_from_a_foreign_origin_is_refused_even_with_a_token(
    site: Site, foreign: dict[str, str]
) -> None:
    refused = site.post(
        "/first-visit", {"account": "100235", "surname": "Семёнов"}, headers=foreign
    )

    assert refused.status_code == 403
    assert site.count(tables.sessions) == 0


def test_a_post_from_the_portal_itself_goes_through(site: Site) -> None:
    accepted = site.post(
        "/first-visit",
        {"account": "100235", "surname": "Семёнов"},
        headers={"Origin": BASE, "Referer": BASE + "/"},
    )

    assert accepted.status_code == 303
    assert accepted.headers["location"] == "/register"


# --- registration -----------------------------------------------------------------------


def test_registration_by_email_end_to_end(site: Site) -> None:
    opened = site.post("/first-visit", {"account": "100235", "surname": "семенов"})
    assert opened.status_code == 303
    assert opened.headers["location"] == "/register"
    assert "100235" in site.client.get("/register").text

    sent = site.post(
        "/register",
        {
            "surname": "Семёнов",
            "email": "semenov@mail.ru",
            "password": PASSWORD,
            "confirmation": PASSWORD,
            "consent": "yes",
            "method": "email",
        },
    )
    assert sent.status_code == 200
    assert "Проверьте почту" in sent.text

    link = site.last_link("/register/confirm/")
    confirmed = site.client.get(link, follow_redirects=False)
    assert confirmed.status_code == 303
    assert confirmed.headers["location"] == "/home"
    home = site.client.get("/home", follow_redirects=False)
    assert home.status_code == 200
    assert "100235" in home.text

    again = site.client.get(link, follow_redirects=False)
    assert again.status_code == 410
    assert "уже использована" in again.text
    site.assert_logs_carry_request_ids_and_none_of(PASSWORD, link.rsplit("/", 1)[1])


def test_registration_form_errors_are_shown_in_russian_with_status_400(site: Site) -> None:
    site.post("/first-visit", {"account": "100235", "surname": "Семёнов"})

    refused = site.post(
        "/register",
        {
            "surname": "Семёнов",
            "email": "semenov@mail.ru",
            "password": "qwerty123",
            "confirmation": "qwerty123",
            "consent": "yes",
        },
    )

    assert refused.status_code == 400
    assert "слишком распространён" in refused.text
    assert "qwerty123" not in refused.text


def test_registration_by_sms_end_to_end(site: Site) -> None:
    site.post("/first-visit", {"account": "100235", "surname": "Семёнов"})
    chosen = site.post(
        "/register",
        {
            "surname": "Семёнов",
            "email": "semenov@mail.ru",
            "password": PASSWORD,
            "confirmation": PASSWORD,
            "consent": "yes",
            "method": "sms",
        },
    )
    assert chosen.status_code == 303
    assert chosen.headers["location"] == "/register/sms"
    assert "Отправить смс" in site.client.get("/register/sms").text

    assert site.post("/register/sms/send", {"phone": "+7 912 345-67-89"}).status_code == 303
    code = site.last_sms_code()
    assert site.post("/register/sms/check", {"code": code}).status_code == 303
    step = site.client.get("/register/sms")
    assert "Подтверждено" in step.text
    assert "Сохранить" in step.text

    saved = site.post("/register/sms/complete", {})
    assert saved.status_code == 303
    assert saved.headers["location"] == "/home"
    home = site.client.get("/home", follow_redirects=False)
    assert home.status_code == 200
    assert "100235" in home.text
    site.assert_logs_carry_request_ids_and_none_of(PASSWORD, code)


# --- sign-in, sessions, sign-out --------------------------------------------------------


def test_a_wrong_password_shows_the_generic_message_next_to_the_sign_in_form(
    resident: Site,
) -> None:
    wrong_password = sign_in(resident, "совсем не тот пароль")
    unknown_account = sign_in(resident, PASSWORD, number="999999")

    for answer in (wrong_password, unknown_account):
        assert answer.status_code == 400
        sign_in_form = answer.text.index('action="/sign-in"')
        first_visit_form = answer.text.index('action="/first-visit"')
        assert sign_in_form < answer.text.index(GENERIC_FAILURE) < first_visit_form
        assert resident.session_cookie not in answer.cookies
    assert "совсем не тот пароль" not in wrong_password.text


def test_the_right_pair_signs_in_to_the_home_page(resident: Site) -> None:
    answer = sign_in(resident)

    assert answer.status_code == 303
    assert answer.headers["location"] == "/home"
    home = resident.client.get("/home", follow_redirects=False)
    assert home.status_code == 200
    assert "100234-А" in home.text
    assert home.headers["cache-control"] == "no-store"


def test_a_session_cookie_planted_before_sign_in_is_not_the_one_after_it(
    resident: Site,
) -> None:
    site = resident
    # The attacker's own, live, session id (from a first visit), planted in the browser.
    planted_answer = site.post("/first-visit", {"account": "100235", "surname": "Семёнов"})
    planted = planted_answer.cookies[site.session_cookie]
    assert site.stored_session(planted)

    signed_in = sign_in(site)

    after = signed_in.cookies[site.session_cookie]
    assert after != planted
    assert not site.stored_session(planted)
    site.client.cookies.set(site.session_cookie, planted)
    assert site.client.get("/home", follow_redirects=False).status_code == 303


def test_a_made_up_session_cookie_is_not_adopted_at_sign_in(resident: Site) -> None:
    resident.client.cookies.set(resident.session_cookie, "attacker-chose-this")

    after = sign_in(resident).cookies[resident.session_cookie]

    assert after != "attacker-chose-this"
    assert not resident.stored_session("attacker-chose-this")


def test_signing_out_clears_the_cookie_and_home_then_sends_to_the_front_page(
    resident: Site,
) -> None:
    site = resident
    raw = sign_in(site).cookies[site.session_cookie]

    out = site.post("/sign-out", {})

    assert out.status_code == 303
    assert out.headers["location"].startswith("/")
    cleared = out.headers["set-cookie"]
    assert f'{site.session_cookie}=""' in cleared or f"{site.session_cookie}=;" in cleared
    assert "Max-Age=0" in cleared
    assert not site.stored_session(raw)
    home = site.client.get("/home", follow_redirects=False)
    assert home.status_code == 303
    assert home.headers["location"].startswith("/?")
    site.client.cookies.set(site.session_cookie, raw)  # a replayed, forgotten cookie
    assert site.client.get("/home", follow_redirects=False).status_code == 303


def test_the_session_cookie_is_http_only_and_same_site_lax(resident: Site) -> None:
    cookie = sign_in(resident).headers["set-cookie"]

    assert cookie.startswith("lk_session=")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie or "SameSite=lax" in cookie
    assert "Path=/" in cookie


def test_over_https_the_session_cookie_is_secure_and_host_prefixed(site_for: Any) -> None:
    site: Site = site_for(LK_HTTPS="true")

    opened = site.post("/first-visit", {"account": "100235", "surname": "Семёнов"})

    cookie = opened.headers["set-cookie"]
    assert opened.status_code == 303
    assert cookie.startswith("__Host-lk_session=")
    assert "Secure" in cookie
    assert "HttpOnly" in cookie
    assert "Path=/" in cookie
    assert "Domain" not in cookie
    assert "max-age=31536000" in opened.headers["strict-transport-security"]


def device_cookie(answer: Response, name: str = "lk_device") -> str:
    [cookie] = [c for c in answer.headers.get_list("set-cookie") if c.startswith(f"{name}=")]
    return cookie


def test_signing_in_leaves_a_long_lived_device_cookie_that_signing_out_keeps(
    resident: Site,
) -> None:
    cookie = device_cookie(sign_in(resident))

    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie or "SameSite=lax" in cookie
    assert "Path=/" in cookie
    assert "Max-Age=31536000" in cookie
    assert "Secure" not in cookie
    out = resident.post("/sign-out", {})
    assert not any(c.startswith("lk_device=") for c in out.headers.get_list("set-cookie"))
    assert resident.client.cookies.get("lk_device")


def test_over_https_the_device_cookie_is_secure_and_host_prefixed(site_for: Any) -> None:
    site: Site = site_for(LK_HTTPS="true")
    site.register("100234", "ivanov@mail.ru")

    cookie = device_cookie(sign_in(site), "__Host-lk_device")

    assert "Secure" in cookie
    assert "HttpOnly" in cookie
    assert "Path=/" in cookie
    assert "Domain" not in cookie


def test_during_a_flood_the_browser_that_signed_in_before_still_signs_in(resident: Site) -> None:
    sign_in(resident)
    resident.post("/sign-out", {})
    access = resident.container.access()
    for n in range(100):  # ten addresses, ten wrong passwords each
        with pytest.raises(DomainError):
            core_sign_in(access, "100234", f"догадка {n}", ip=f"203.0.113.{n // 10}",
                         current_session=None)  # fmt: skip

    answer = sign_in(resident)

    assert answer.status_code == 303
    assert resident.client.get("/home", follow_redirects=False).status_code == 200


# --- forgotten password -----------------------------------------------------------------


def test_forgotten_password_end_to_end(resident: Site) -> None:
    site = resident
    old_session = sign_in(site).cookies[site.session_cookie]
    asked = site.post("/password/forgot", {"account": "100234", "email": "ivanov@mail.ru"})
    not_a_pair = site.post("/password/forgot", {"account": "100235", "email": "x@mail.ru"})
    assert asked.status_code == not_a_pair.status_code == 200
    assert "Проверьте почту" in asked.text
    assert "Проверьте почту" in not_a_pair.text

    link = site.last_link("/password/reset/")
    form = site.client.get(link)
    assert form.status_code == 200
    assert form.headers.get_list("referrer-policy") == ["no-referrer"]

    done = site.post(link, {"password": NEW_PASSWORD, "confirmation": NEW_PASSWORD})
    assert done.status_code == 200
    assert "Пароль изменён" in done.text
    assert done.headers.get_list("referrer-policy") == ["no-referrer"]
    assert site.session_cookie not in done.cookies
    assert not site.stored_session(old_session)
    assert "изменён" in site.outbox()

    assert site.client.get(link).status_code == 410
    assert sign_in(site, PASSWORD).status_code == 400
    assert sign_in(site, NEW_PASSWORD).status_code == 303
    site.assert_logs_carry_request_ids_and_none_of(PASSWORD, NEW_PASSWORD, link.rsplit("/", 1)[1])


# --- headers, error pages, demo mode, logs ----------------------------------------------

PAGES = ["/", "/password/forgot", "/privacy", "/register", "/home", "/static/portal.css"]


@pytest.mark.parametrize("path", PAGES)
def test_every_response_carries_the_security_headers(site: Site, path: str) -> None:
    response = site.client.get(path, follow_redirects=False)

    csp = response.headers["content-security-policy"]
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"]
    if not path.startswith("/static/"):
        assert response.headers["cache-control"] == "no-store"


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/no-such-page"), ("DELETE", "/"), ("POST", "/sign-in")],
    ids=["404", "405", "403 csrf"],
)
def test_error_responses_carry_the_security_headers_too(site: Site, method: str, path: str) -> None:
    response = site.client.request(
        method, path, data={"account": "1"} if method == "POST" else None
    )

    assert response.status_code in (403, 404, 405)
    assert "frame-ancestors 'none'" in response.headers.get("content-security-policy", "")
    assert response.headers.get("x-content-type-options") == "nosniff"


@pytest.mark.parametrize(
    ("method", "status", "title"),
    [("GET", 404, "Страница не найдена"), ("PUT", 405, "Так эту страницу открыть нельзя")],
)
def test_not_found_and_method_not_allowed_are_styled_pages_in_russian(
    site: Site, method: str, status: int, title: str
) -> None:
    path = "/no-such-page" if status == 404 else "/home"

    response = site.client.request(method, path)

    assert response.status_code == status
    assert '<html lang="ru">' in response.text
    assert title in response.text
    assert re.search(
        r'<link rel="stylesheet" href="/assets/[0-9a-f]{12}/portal.css">', response.text
    )
    assert "Traceback" not in response.text


def test_the_demo_outbox_page_shows_the_queued_messages_with_clickable_links(
    site: Site,
) -> None:
    site.post("/first-visit", {"account": "100235", "surname": "Семёнов"})
    site.post(
        "/register",
        {
            "surname": "Семёнов",
            "email": "semenov@mail.ru",
            "password": PASSWORD,
            "confirmation": PASSWORD,
            "consent": "yes",
        },
    )

    page = site.client.get("/demo/outbox")

    assert page.status_code == 200
    assert "semenov@mail.ru" in page.text
    assert f'<a href="{BASE}/register/confirm/' in page.text
    meta = re.search(r'class="message-meta">.*?</p>', page.text, re.S)
    assert meta is not None
    shown = re.search(
        r"(\d\d\.\d\d\.\d{4} \d\d:\d\d:\d\d) · (ждёт|отправляется|отправлено)", meta[0]
    )
    assert shown is not None
    moscow = ZoneInfo("Europe/Moscow")  # the demo company's time zone, not UTC
    at = dt.datetime.strptime(shown[1], "%d.%m.%Y %H:%M:%S").replace(tzinfo=moscow)
    assert abs(dt.datetime.now(moscow) - at) < dt.timedelta(minutes=5)


def test_the_demo_outbox_does_not_exist_outside_demo_mode(site_for: Any) -> None:
    company = demo_company()
    requisites = {
        f"LK_COMPANY_{name.upper()}": getattr(company, name)
        for name in ("name", "inn", "kpp", "bank_name", "bic", "settlement_account",
                     "correspondent_account")
    }  # fmt: skip
    site: Site = site_for(LK_DEMO="0", LK_HTTPS="false", LK_SECRET_KEY="k" * 40, **requisites)

    assert site.client.get("/demo/outbox").status_code == 404
    assert "демо-почт" not in site.client.get("/").text


def test_each_request_is_logged_once_with_the_request_id_it_answered_with(site: Site) -> None:
    answers = [site.client.get("/"), site.client.get("/privacy")]

    lines = [line for line in site.log_lines() if line.get("event") == "request"]
    assert [line["request_id"] for line in lines] == [a.headers["x-request-id"] for a in answers]
    assert [line["path"] for line in lines] == ["/", "/privacy"]
    assert [line["status"] for line in lines] == [200, 200]


def test_a_failed_sign_in_logs_neither_the_password_nor_more_than_the_path(
    resident: Site,
) -> None:
    sign_in(resident, "совсем не тот пароль")

    resident.assert_logs_carry_request_ids_and_none_of("совсем не тот пароль", PASSWORD)
    [line] = [line for line in resident.log_lines() if line.get("path") == "/sign-in"]
    assert line["status"] == 400


def test_a_refused_form_is_logged_with_the_status_it_got(site: Site) -> None:
    refused = site.client.post("/sign-in", data={"account": "1", "password": "x" * 8})

    [line] = [line for line in site.log_lines() if line.get("path") == "/sign-in"]
    assert line["status"] == refused.status_code == 403


def test_an_internal_error_on_a_link_page_does_not_log_the_token(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> str:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(registration_pages, "confirm_registration_link", broken)
    token = "SecretToken" + "x" * 32

    failed = site.client.get(f"/register/confirm/{token}")

    assert failed.status_code == 500
    assert "Traceback" not in failed.text
    assert "the database went away" not in failed.text
    site.assert_logs_carry_request_ids_and_none_of(token)


@pytest.mark.parametrize(
    "link", ["/register/confirm/", "/password/reset/", "/personal/email/confirm/"]
)
def test_no_emailed_link_puts_its_token_in_the_log(site: Site, link: str) -> None:
    token = "SecretToken" + "x" * 32

    site.client.get(link + token)

    site.assert_logs_carry_request_ids_and_none_of(token)


def test_the_session_id_travels_only_in_its_cookie(resident: Site) -> None:
    signed_in = sign_in(resident)
    raw = signed_in.cookies[resident.session_cookie]

    home = resident.client.get(signed_in.headers["location"])

    assert home.status_code == 200
    assert raw not in str(home.url)
    assert raw not in home.text
    resident.assert_logs_carry_request_ids_and_none_of(raw)


def test_emailed_links_lead_to_the_configured_address_whatever_host_the_request_named(
    resident: Site,
) -> None:
    asked = resident.post(
        "/password/forgot",
        {"account": "100234", "email": "ivanov@mail.ru"},
        headers={"Host": "evil.example"},
    )

    assert asked.status_code == 200
    assert "evil.example" not in resident.outbox()
    assert resident.last_link("/password/reset/")


def test_what_a_visitor_typed_is_shown_back_escaped(site: Site) -> None:
    site.post("/first-visit", {"account": "100235", "surname": "Семёнов"})
    typed = '"><script>alert(1)</script>'

    refused = site.post(
        "/register",
        {"surname": "Семёнов", "email": typed, "password": PASSWORD,
         "confirmation": PASSWORD, "consent": "yes"},
    )  # fmt: skip

    assert refused.status_code == 400
    assert "<script>alert(1)" not in refused.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in refused.text


def test_no_folder_of_static_files_is_listed(site: Site) -> None:
    for path in ("/static", "/static/"):
        assert site.client.get(path).status_code == 404, path


def a_request(client_host: str, **headers: str) -> Any:
    return SimpleNamespace(headers=headers, client=SimpleNamespace(host=client_host))


def test_proxy_headers_are_ignored_unless_the_proxy_is_trusted() -> None:
    facts = ClientFacts(https=False, behind_proxy=False)

    assert facts.ip(a_request("198.51.100.7", **{"x-forwarded-for": "6.6.6.6"})) == "198.51.100.7"


def test_behind_a_trusted_proxy_the_client_cannot_choose_its_own_ip() -> None:
    facts = ClientFacts(https=False, behind_proxy=True)
    # nginx's $proxy_add_x_forwarded_for appends the address it saw to what the client sent.
    spoofed = a_request("10.0.0.2", **{"x-forwarded-for": "6.6.6.6, 198.51.100.7"})

    assert facts.ip(spoofed) == "198.51.100.7"
