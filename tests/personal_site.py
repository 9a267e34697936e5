"""The real app over a SQLite file for the personal-data pages: a browser, the container
behind it, and helpers that register residents through the use cases to keep tests short.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import attrs
import structlog
from dependency_injector import providers
from httpx import Response
from litestar import Litestar
from litestar.testing import TestClient

from access_fixtures import SURNAMES, MovableClock, load_accounts, some_accounts
from lk_adapters.container import Container, build_container
from lk_adapters.demo import demo_company
from lk_adapters.settings import load_settings
from lk_adapters.sqlalchemy.migrations import upgrade_database
from lk_core.access.first_visit import (
    RegistrationForm,
    confirm_registration_link,
    first_visit,
    submit_registration,
)
from lk_core.access.registration import ConfirmationMethod
from lk_core.access.sessions import session_id_hash
from lk_web.app import create_app
from lk_web.controllers.accounts import AccountSwitchController
from lk_web.controllers.personal_data import PersonalDataController

BASE = "http://testserver.local"
CSRF_INPUT = re.compile(r'name="_csrf_token" value="([^"]+)"')
SESSION_COOKIE = "lk_session"


def with_personal_routes(app: Litestar) -> Litestar:
    """The app with this feature's controllers, whether or not `create_app` lists them yet."""
    paths = {route.path for route in app.routes}
    if "/personal" not in paths:
        app.register(PersonalDataController)
    if "/accounts/switch" not in paths:
        app.register(AccountSwitchController)
    return app


def non_demo_settings() -> dict[str, str]:
    """A real deployment's settings over plain HTTP: no demo outbox page, no demo data."""
    company = demo_company()
    requisites = {
        f"LK_COMPANY_{name.upper()}": getattr(company, name)
        for name in ("name", "inn", "kpp", "bank_name", "bic", "settlement_account",
                     "correspondent_account")
    }  # fmt: skip
    return {"LK_DEMO": "0", "LK_HTTPS": "false", "LK_SECRET_KEY": "k" * 40, **requisites}


@attrs.define
class Site:
    """A browser on the portal, and the portal's insides for checking what happened."""

    client: TestClient  # type: ignore[type-arg]
    container: Container
    clock: MovableClock

    @property
    def app(self) -> Litestar:
        app: Litestar = self.client.app
        return app

    def csrf(self) -> str:
        found = CSRF_INPUT.search(self.client.get("/password/forgot").text)
        assert found is not None
        return found[1]

    def get(self, path: str) -> Response:
        return self.client.get(path, follow_redirects=False)

    def post(self, path: str, data: dict[str, str] | None = None, **kwargs: Any) -> Response:
        return self.client.post(
            path, data={**(data or {}), "_csrf_token": self.csrf()}, follow_redirects=False,
            **kwargs,
        )  # fmt: skip

    def sign_in(self, number: str, password: str) -> Response:
        answer = self.post("/sign-in", {"account": number, "password": password})
        assert answer.status_code == 303, answer.text
        return answer

    def register(self, number: str, email: str, password: str) -> None:
        """A confirmed registration, made through the use cases."""
        access = self.container.access()
        raw = first_visit(access, number, SURNAMES[number], ip="10.0.0.1", current_session=None)
        form = RegistrationForm(
            SURNAMES[number], email, password, password, True, ConfirmationMethod.EMAIL
        )
        submit_registration(access, raw, form, ip="10.0.0.1", user_agent="test")
        token = self.last_link_token(r"/register/confirm/", to=email)
        confirm_registration_link(access, token, ip="10.0.0.1", current_session=None)

    def emails(self, to: str | None = None) -> list[str]:
        """Texts of the queued e-mails, newest first."""
        with self.container.uow_factory()() as uow:
            messages = uow.outbox.recent(500)
        return [
            m.email.text for m in messages
            if m.email is not None and (to is None or m.recipient == to)
        ]  # fmt: skip

    def last_link_token(self, path: str, *, to: str | None = None) -> str:
        for text in self.emails(to):
            if found := re.search(re.escape(path) + r"([A-Za-z0-9_-]+)", text):
                return found[1]
        raise AssertionError(f"no e-mail carries a link to {path}")

    def stored_session(self, raw: str) -> bool:
        with self.container.uow_factory()() as uow:
            return uow.sessions.get(session_id_hash(raw)) is not None

    def linked(self, registration_key: str) -> list[str]:
        with self.container.uow_factory()() as uow:
            links = uow.linked_accounts.of_registration(registration_key)
        return [link.account_key for link in links]


@contextmanager
def a_site(folder: Path, **env: str) -> Iterator[Site]:
    """A portal over a fresh SQLite file holding `some_accounts()`, its clock held still."""
    saved_logging = structlog.get_config()
    settings = load_settings(
        {"LK_DEMO": "1", "LK_DATABASE_URL": f"sqlite:///{folder / 'lk.sqlite3'}",
         "LK_BASE_URL": BASE, **env}
    )  # fmt: skip
    container = build_container(settings)
    clock = MovableClock()
    container.clock.override(providers.Object(clock))
    upgrade_database(container.engine())
    load_accounts(container.uow_factory(), some_accounts())
    app = with_personal_routes(create_app(container))
    try:
        with TestClient(app=app, base_url=BASE) as client:
            yield Site(client, container, clock)
    finally:
        container.engine().dispose()
        structlog.configure(**saved_logging)
