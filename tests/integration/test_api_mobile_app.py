"""A phone app's whole journey through the JSON API, with no browser: the real `lk serve`
in production mode over a SQLite file, driven by httpx as an app would (first visit →
registration confirmed by SMS code → sign-in → settlements → reading → payment order →
sign-out)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import structlog

from access_fixtures import IVANOV, PASSWORD, PHONE, SURNAMES, load_accounts, some_accounts
from lk_adapters.container import build_container
from lk_adapters.settings import load_settings
from lk_adapters.sqlalchemy.migrations import upgrade_database
from main_page_fixtures import load_ledger, three_periods_of_rows
from readings_fixtures import load_meters
from served_portal import free_port, production_environment, served_portal

pytestmark = pytest.mark.slow

GOROD = "https://www.gorod.ru/pay?account={account}&sum={amount}&order={order}"
SMS_CODE = re.compile(r"\b(\d{6})\b")


@pytest.fixture
def portal(tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    port = free_port()
    env = production_environment(tmp_path, port, LK_PAYMENTS_GOROD_URL=GOROD)
    saved_logging = structlog.get_config()
    container = build_container(load_settings(env))
    try:
        upgrade_database(container.engine())
        uow_factory = container.uow_factory()
        load_accounts(uow_factory, some_accounts())
        load_ledger(uow_factory, three_periods_of_rows(IVANOV))
        load_meters(uow_factory)
    finally:
        container.engine().dispose()
        structlog.configure(**saved_logging)
    with served_portal(env, port, tmp_path / "server.log") as base_url:
        yield base_url, env


def last_sms_code(env: dict[str, str]) -> str:
    """The code the SMS in the outbox carries (the gateway is not configured here)."""
    saved_logging = structlog.get_config()
    container = build_container(load_settings(env))
    try:
        with container.uow_factory()() as uow:
            messages = uow.outbox.recent(50)
    finally:
        container.engine().dispose()
        structlog.configure(**saved_logging)
    for message in messages:
        if message.sms is not None and (found := SMS_CODE.search(message.sms.text)):
            return found[1]
    raise AssertionError("no SMS code in the outbox")


def test_a_phone_app_registers_signs_in_pays_and_signs_out(
    portal: tuple[str, dict[str, str]],
) -> None:
    base_url, env = portal
    with httpx.Client(base_url=base_url + "/api/v1", timeout=30) as app:
        started = app.post(
            "/registration/first-visit", json={"account": IVANOV, "surname": SURNAMES[IVANOV]}
        )
        assert started.status_code == 201, started.text
        token = started.json()["registration_token"]
        form = app.post("/registration", json={
            "registration_token": token, "surname": SURNAMES[IVANOV],
            "email": "ivanov@mail.ru", "password": PASSWORD, "confirmation": PASSWORD,
            "consent": True, "method": "sms",
        })  # fmt: skip
        assert form.status_code == 201, form.text
        sent = app.post(
            "/registration/sms/send", json={"registration_token": token, "phone": PHONE}
        )
        assert sent.status_code == 202, sent.text
        code = last_sms_code(env)
        checked = app.post(
            "/registration/sms/check", json={"registration_token": token, "code": code}
        )
        assert checked.status_code == 200, checked.text
        completed = app.post(
            "/registration/sms/complete",
            json={"registration_token": token, "device_name": "Телефон при регистрации"},
        )
        assert completed.status_code == 201, completed.text

        signed_in = app.post(
            "/tokens", json={"account": IVANOV, "password": PASSWORD, "device_name": "Телефон"}
        )
        assert signed_in.status_code == 201, signed_in.text
        bearer = {"Authorization": f"Bearer {signed_in.json()['access_token']}"}

        settlements = app.get(f"/accounts/{IVANOV}/settlements", headers=bearer)
        assert settlements.status_code == 200
        assert settlements.json()["period"] == "2026-10"
        assert settlements.json()["totals"]["to_pay"].count(".") == 1

        meters = app.get(f"/accounts/{IVANOV}/meters", params={"service": "HVS"}, headers=bearer)
        line = meters.json()["lines"][0]
        reading = app.post(
            f"/accounts/{IVANOV}/readings", headers=bearer,
            json={"service": "HVS", "values": {line["key"]: "131.000"}},
        )  # fmt: skip
        assert reading.status_code == 201, reading.text
        assert reading.json()["stored"] == 1
        lines = app.get(reading.headers["location"].removeprefix("/api/v1"), headers=bearer)
        assert lines.json()["lines"][0]["pending_reading_id"]

        order = app.post(
            f"/accounts/{IVANOV}/payment-orders", headers=bearer,
            json={"provider": "gorod", "amount": "1500.00"},
        )  # fmt: skip
        assert order.status_code == 201, order.text
        assert order.json()["redirect_url"].startswith("https://www.gorod.ru/pay?")
        order_id = order.json()["order"]["id"]
        status = app.get(f"/accounts/{IVANOV}/payment-orders/{order_id}", headers=bearer)
        assert status.json()["status"] == "pending"

        devices = app.get("/devices", headers=bearer).json()["items"]
        assert {d["name"] for d in devices} == {"Телефон при регистрации", "Телефон"}

        assert app.delete("/tokens/current", headers=bearer).status_code == 204
        assert app.get(f"/accounts/{IVANOV}/settlements", headers=bearer).status_code == 401
