"""Proof across hosts (F34): two `lk serve` processes on two ports stand in for two hosts
behind a load balancer, and two `lk worker` processes do the background work, over one
PostgreSQL database and one S3 server (moto's), with a real SMTP server, an SMS.ru
look-alike and a YooKassa look-alike on 127.0.0.1. Residents register, sign in on one
host and go on on the other, submit readings and pay, with notifications landing on
either host; then a month is closed across both workers. A web process and a worker
are killed with SIGKILL mid-run and started again. Every message is sent exactly once,
every payment credited once, no reading lost, and every receipt is stored once and is
byte for byte what one process renders alone.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import html
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller

from conftest import empty_database_url
from lk_adapters.billing_files import CsvSourceFile
from lk_adapters.container import Container, build_container
from lk_adapters.receipts import PdfReceiptRenderer
from lk_adapters.settings import load_settings
from lk_core.billing_import.kinds import FileKind
from lk_core.kernel.periods import Period
from lk_core.receipts.document import receipt_document
from personal_site import non_demo_settings
from s3_server import S3Server
from served_portal import free_port
from sms_ru_server import sms_ru_server
from yookassa_server import SECRET_KEY, SHOP_ID, ProtocolServer, yookassa_server

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

LK = str(Path(sys.executable).parent / "lk")
PORTAL = "https://lk.uk-test.ru"  # the load balancer's address: one origin for every host
PASSWORD = "Липа-Ветер-2718"
CSRF_INPUT = re.compile(r'name="_csrf_token" value="([^"]+)"')
CONFIRM_LINK = re.compile(r"/register/confirm/([\w-]+)")
WEBHOOK = "/api/v1/payments/callbacks/yookassa"
RESIDENTS = 6
WAIT_SECONDS = 30.0


class Inbox:
    """The SMTP server's side: every message it was handed, parsed."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(message)  # type: ignore[arg-type]
        return "250 OK"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


@dataclass
class Process:
    """A long-running `lk` command, startable again after a SIGKILL."""

    name: str
    command: list[str]
    env: dict[str, str]
    log: Path
    port: int | None = None
    popen: subprocess.Popen[bytes] | None = None
    starts: int = 0

    def start(self) -> None:
        self.starts += 1
        with self.log.open("ab") as output:
            self.popen = subprocess.Popen(
                self.command, env=self.env, stdout=output, stderr=subprocess.STDOUT,
                start_new_session=True,  # a group of its own, killed whole
            )  # fmt: skip
        if self.port is not None:
            eventually(self.answers, f"{self.name} answers", seconds=60)
        else:
            time.sleep(1)
            self.assert_alive()

    def assert_alive(self) -> None:
        assert self.popen is not None
        if self.popen.poll() is not None:
            raise AssertionError(f"{self.name} exited:\n{self.log.read_text()[-3000:]}")

    def answers(self) -> bool:
        assert self.popen is not None
        if self.popen.poll() is not None:
            raise AssertionError(f"{self.name} exited:\n{self.log.read_text()[-3000:]}")
        try:
            return httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200
        except httpx.TransportError:
            return False

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def kill(self) -> None:
        """SIGKILL to the process and its children (uvicorn's, a worker's)."""
        assert self.popen is not None
        os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait()

    def stop(self) -> None:
        if self.popen is None or self.popen.poll() is not None:
            return
        self.popen.terminate()
        try:
            self.popen.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait()


def eventually(condition: Callable[[], bool], what: str, seconds: float = WAIT_SECONDS) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {seconds:.0f} s: {what}")
        time.sleep(0.1)


@dataclass
class Deployment:
    env: dict[str, str]
    hosts: list[Process]
    workers: list[Process]
    inbox: Inbox
    acquirer: ProtocolServer
    accounts: list[tuple[str, str]]  # (number, surname)
    container: Container  # the database as the test reads it


def demo_accounts(folder: Path, how_many: int) -> list[tuple[str, str]]:
    """(number, surname) pairs of the demo company's files."""
    source = CsvSourceFile(folder / f"{FileKind.ACCOUNTS.value}.csv", kind=FileKind.ACCOUNTS)
    number, payer = source.columns["account"], source.columns["payer"]
    pairs = []
    for _line, fields in source.rows():
        if len(pairs) == how_many:
            break
        pairs.append((fields[number].strip(), fields[payer].split()[0]))
    return pairs


@pytest.fixture
def deployment(tmp_path: Path, s3: S3Server) -> Iterator[Deployment]:
    inbox, smtp_port = Inbox(), free_port()
    smtp = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    with (
        empty_database_url("postgres", tmp_path) as database_url,
        yookassa_server() as acquirer,
        sms_ru_server() as (_texts, sms_url),
    ):
        base = {k: v for k, v in os.environ.items() if not k.startswith("LK_")}
        demo_env = {**base, "LK_DEMO": "1", "LK_DATABASE_URL": database_url,
                    "LK_RECEIPTS_FOLDER": str(tmp_path / "demo-receipts")}  # fmt: skip
        subprocess.run(
            [LK, "demo", "--folder", str(tmp_path / "demo")],
            env=demo_env,
            check=True,
            capture_output=True,
            timeout=300,
        )
        env = {
            **base,
            **non_demo_settings(),
            "LK_DATABASE_URL": database_url,
            "LK_BASE_URL": PORTAL,
            "LK_RECEIPTS_FOLDER": str(tmp_path / "receipts"),
            "LK_MAIL_HOST": "127.0.0.1",
            "LK_MAIL_PORT": str(smtp_port),
            "LK_MAIL_STARTTLS": "false",
            "LK_MAIL_SENDER": "lk@uk-test.ru",
            "LK_SMS_API_ID": "6F1C2B3A-0000-4E5D-9A8B-SECRETAPIID1",
            "LK_SMS_BASE_URL": sms_url,
            "LK_PAYMENTS_YOOKASSA_SHOP_ID": SHOP_ID,
            "LK_PAYMENTS_YOOKASSA_SECRET_KEY": SECRET_KEY,
            "LK_PAYMENTS_YOOKASSA_API_URL": acquirer.url,
            "LK_PAYMENTS_YOOKASSA_TIMEOUT": "2",
            "LK_PAYMENTS_CALLBACK_SOURCES": "loopback",
            "LK_PAYMENTS_VERIFY_IN_PROCESS": "false",  # the workers verify
            "LK_RECEIPTS_STORE": f"s3://{s3.new_bucket()}/receipts",
            "LK_S3_ENDPOINT_URL": s3.endpoint_url,
            "LK_S3_ACCESS_KEY_ID": s3.access.access_key_id,
            "LK_S3_SECRET_ACCESS_KEY": s3.access.secret_access_key,
            "LK_S3_REGION": s3.access.region,
        }
        hosts = [
            Process(
                f"host {n}", [LK, "serve", "--port", str(port)], env, tmp_path / f"h{n}.log", port
            )
            for n, port in enumerate((free_port(), free_port()))
        ]
        workers = [
            Process(
                f"worker {n}",
                [LK, "worker", "--stalled-after", "3"],
                env,
                tmp_path / f"w{n}.log",
            )
            for n in range(2)
        ]
        running = [*hosts, *workers]
        container = build_container(load_settings(env))
        try:
            for process in running:
                process.start()
            accounts = demo_accounts(tmp_path / "demo", RESIDENTS)
            yield Deployment(env, hosts, workers, inbox, acquirer, accounts, container)
        finally:
            for process in running:
                process.stop()
            container.engine().dispose()
            smtp.stop()


class Browser:
    """One resident's browser, whose requests the load balancer sends to either host."""

    def __init__(self, deployment: Deployment) -> None:
        self.deployment = deployment
        self.cookies = httpx.Cookies()

    def client(self, host: Process) -> httpx.Client:
        return httpx.Client(base_url=host.url, cookies=self.cookies, timeout=20)

    def get(self, host: Process, path: str) -> httpx.Response:
        with self.client(host) as client:
            answer = client.get(path)
            self.cookies.update(client.cookies)
        return answer

    def submit(self, host: Process, page: str, path: str, data: dict[str, str]) -> httpx.Response:
        """The form of `page` (read from `host`) posted to `path` on `host`."""
        token = CSRF_INPUT.search(self.get(host, page).text)
        assert token is not None, f"no form on {page}"
        with self.client(host) as client:
            answer = client.post(
                path, data={**data, "_csrf_token": token[1]},
                headers={"Origin": PORTAL, "Referer": PORTAL + page},
            )  # fmt: skip
            self.cookies.update(client.cookies)
        return answer


def register(deployment: Deployment, n: int, browser: Browser) -> str:
    """First visit and the form on one host, the e-mailed link opened on the other;
    the resident's e-mail address."""
    number, surname = deployment.accounts[n]
    first, other = deployment.hosts[n % 2], deployment.hosts[(n + 1) % 2]
    address = f"resident{n}@example.ru"
    visit = browser.submit(first, "/", "/first-visit", {"account": number, "surname": surname})
    assert visit.status_code == 303, visit.text[:500]
    sent = browser.submit(first, "/register", "/register", {
        "surname": surname, "email": address, "password": PASSWORD,
        "confirmation": PASSWORD, "consent": "yes",
    })  # fmt: skip
    assert "Проверьте почту" in sent.text
    eventually(lambda: bool(deployment.inbox.to(address)), f"the link reaches {address}")
    body = deployment.inbox.to(address)[0].get_body(("plain",))
    assert body is not None
    link = CONFIRM_LINK.search(body.get_content())
    assert link is not None
    confirmed = browser.get(other, f"/register/confirm/{link[1]}")
    assert confirmed.status_code in (200, 303), confirmed.text[:500]
    return address


def sign_in(deployment: Deployment, n: int) -> Browser:
    """Signed in on one host; the session goes on on the other."""
    number, _surname = deployment.accounts[n]
    browser = Browser(deployment)
    first, other = deployment.hosts[(n + 1) % 2], deployment.hosts[n % 2]
    answer = browser.submit(first, "/", "/sign-in", {"account": number, "password": PASSWORD})
    assert answer.status_code == 303
    assert answer.headers["location"] == "/home"
    home = browser.get(other, "/home")
    assert home.status_code == 200
    assert key_of(number) in re.sub(r"\D", "", home.text)
    return browser


READING_ROW = re.compile(r'<tr role="row" class="readings-line.*?</tr>', re.S)
READING_INPUT = re.compile(r'name="(value:[^"]+)"')
PREVIOUS_VALUE = re.compile(
    r'<span class="home-cell-value">([\d\s\u00a0,]+)<span class="home-note">от'
)
SERVICE_LINK = re.compile(r'href="/readings\?service=([^"]+)"')


def key_of(number: str) -> str:
    return re.sub(r"\D", "", number)


def submit_readings(deployment: Deployment, n: int, browser: Browser) -> int:
    """The previous value again (no consumption) on every meter of the first service;
    how many values were sent."""
    host = deployment.hosts[n % 2]
    services = SERVICE_LINK.findall(browser.get(host, "/readings").text)
    assert services, "the readings page offers a service"
    page = f"/readings?service={services[0]}"
    data = {"service": html.unescape(services[0])}
    for row in READING_ROW.findall(browser.get(host, page).text):
        name, previous = READING_INPUT.search(row), PREVIOUS_VALUE.search(row)
        if name is not None:
            data[html.unescape(name[1])] = previous[1].strip() if previous else "1"
    answer = browser.submit(host, page, "/readings", data)
    assert answer.status_code in (200, 303), answer.text[:500]
    assert "Показания не приняты" not in answer.text
    return len(data) - 1


def pay(deployment: Deployment, n: int, browser: Browser) -> str:
    """An order on one host, paid on the provider's page, its notification sent to both
    hosts (a provider retries); the provider's payment id."""
    host = deployment.hosts[n % 2]
    answer = browser.submit(host, "/pay", "/pay", {"provider": "yookassa", "amount": "100"})
    assert answer.status_code == 303, answer.text[:500]
    number, _surname = deployment.accounts[n]
    with deployment.container.uow_factory()(read_only=True) as uow:
        [order] = uow.payment_orders.of_account(key_of(number), 1)
    deployment.acquirer.book.finish(order.provider_payment_id, succeeded=True)
    body = {"type": "notification", "event": "payment.succeeded",
            "object": {"id": order.provider_payment_id, "status": "succeeded"}}  # fmt: skip
    for target in (deployment.hosts[(n + 1) % 2], host):
        assert httpx.post(target.url + WEBHOOK, json=body, timeout=10).status_code == 200
    return order.provider_payment_id


def close_a_month_across_the_workers(deployment: Deployment) -> tuple[Period, list[str]]:
    """`lk period close` of a month with no receipts yet, run on a host of its own while
    both workers render its batches; one worker killed mid-close and started again.
    The month and its accounts."""
    with deployment.container.uow_factory()(read_only=True) as uow:
        period = next(p.period for p in uow.periods.list() if p.is_closed)
        keys = uow.ledger.accounts_in(period)
    store = deployment.container.receipt_store()
    close = subprocess.Popen(
        [LK, "period", "close", str(period), "--batch", "10"], env=deployment.env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        eventually(lambda: len(store.accounts_with(period)) >= 30, "a third of the close")
        deployment.workers[0].kill()
        assert len(store.accounts_with(period)) < len(keys), "the kill landed mid-close"
        deployment.workers[0].start()
        stdout, stderr = close.communicate(timeout=120)
    finally:
        if close.poll() is None:
            close.kill()
    assert close.returncode == 0, stderr
    assert f"Счетов: {len(keys)}" in stdout
    return period, keys


def test_two_hosts_share_sessions_messages_readings_and_payments_through_one_database(
    deployment: Deployment,
) -> None:
    started = dt.datetime.now(dt.UTC)
    addresses, readings, payments = [], {}, {}
    for n in range(RESIDENTS):
        if n == RESIDENTS // 2:
            deployment.hosts[0].kill()  # mid-run, as a host dies
            deployment.workers[0].kill()
            deployment.hosts[0].start()
            deployment.workers[0].start()
        addresses.append(register(deployment, n, Browser(deployment)))
        browser = sign_in(deployment, n)
        key = key_of(deployment.accounts[n][0])
        readings[key] = submit_readings(deployment, n, browser)
        payments[key] = pay(deployment, n, browser)

    def credited() -> dict[str, int]:
        with deployment.container.uow_factory()(read_only=True) as uow:
            made = {key: uow.payments.of_account(key) for key in payments}
        return {
            key: sum(p.external_id.startswith("order:") for p in ps) for key, ps in made.items()
        }

    # A verification the killed worker had claimed waits out its lease (2 minutes, ADR
    # 0053) before another worker takes it: late, never lost.
    eventually(lambda: all(credited().values()), "every payment is credited", seconds=180)
    time.sleep(2)  # anything sent or credited twice would have arrived by now
    for process in [*deployment.hosts, *deployment.workers]:
        process.assert_alive()
    sent = Counter(m["To"] for m in deployment.inbox.messages)
    assert {address: sent[address] for address in addresses} == dict.fromkeys(addresses, 1)
    assert credited() == dict.fromkeys(payments, 1)
    with deployment.container.uow_factory()(read_only=True) as uow:
        for key, count in readings.items():
            meters = [meter.id for meter in uow.meters.of_account(key)]
            pending = [
                r
                for r in uow.readings.of_meters(meters, withdrawn=False)
                if r.is_pending and r.taken_at >= started
            ]
            assert len(pending) == count, key

    period, keys = close_a_month_across_the_workers(deployment)
    store, renderer = deployment.container.receipt_store(), PdfReceiptRenderer()
    assert store.accounts_with(period) == set(keys)
    with deployment.container.uow_factory()(read_only=True) as uow:
        for key in keys:  # what one process renders alone, byte for byte
            document = receipt_document(uow, deployment.container.company(), key, period)
            assert document is not None
            assert store.get(key, period) == renderer.render(document), key
