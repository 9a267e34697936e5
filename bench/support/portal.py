"""The portal as the benchmarks set it up: production settings over a database, and
residents registered and signed in through the use cases, as a browser would have them."""

from __future__ import annotations

import os
import re

from lk_adapters.container import Container, build_container
from lk_adapters.settings import load_settings
from lk_core.access.first_visit import (
    RegistrationForm,
    confirm_registration_link,
    first_visit,
    submit_registration,
)
from lk_core.access.registration import ConfirmationMethod
from lk_core.access.sign_in import sign_in

PASSWORD = "Липа-Ветер-2718"
CONFIRM_LINK = re.compile(r"/register/confirm/([\w-]+)")


def portal_environment(database_url: str, port: int = 8000) -> dict[str, str]:
    """Production settings (not demo mode): a company, a secret key, HTTPS cookies."""
    from lk_adapters.demo import demo_company

    company = demo_company()
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("LK_")},
        "LK_DATABASE_URL": database_url,
        "LK_SECRET_KEY": "bench-" + "k" * 40,
        "LK_BASE_URL": f"http://127.0.0.1:{port}",
        **{
            f"LK_COMPANY_{name.upper()}": str(getattr(company, name))
            for name in (
                "name", "inn", "kpp", "bank_name", "bic", "settlement_account",
                "correspondent_account", "address", "phone", "email", "website", "time_zone",
            )
        },
    }  # fmt: skip


def register(container: Container, number: str, surname: str) -> None:
    """First visit, the form, the e-mailed link: what a resident does, minus the browser."""
    access = container.access()
    ip = "127.0.0.1"
    raw = first_visit(access, number, surname, ip=ip, current_session=None)
    digits = re.sub(r"\D", "", number)
    form = RegistrationForm(
        surname, f"bench{digits}@example.ru", PASSWORD, PASSWORD,
        consent=True, method=ConfirmationMethod.EMAIL,
    )  # fmt: skip
    started = submit_registration(access, raw, form, ip=ip, user_agent="bench")
    with container.uow_factory()() as uow:
        messages = uow.outbox.recent(20)
    link = next(
        found[1]
        for message in messages
        if message.email is not None
        and message.email.to == started.email
        and (found := CONFIRM_LINK.search(message.email.text))
    )
    confirm_registration_link(access, link, ip=ip, current_session=None)


def registered_sessions(env: dict[str, str], keys: list[str], surnames: list[str]) -> list[str]:
    """Each account registered (first visit, form, e-mailed link) and signed in once;
    the raw session ids, one per account."""
    container = build_container(load_settings(env))
    access = container.access()
    sessions = []
    for i, (key, surname) in enumerate(zip(keys, surnames, strict=True)):
        register(container, key, surname)
        ip = f"198.51.100.{i % 250 + 1}"
        sessions.append(sign_in(access, key, PASSWORD, ip=ip, current_session=None))
    container.engine().dispose()
    return sessions
