"""The browser tests' world: the real `lk serve` over the demo company, and Debian's Chromium.

One server for the whole session (registrations are permanent, so every test takes
accounts of its own), one browser, and a fresh browser context for every test.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import httpx
import pytest

from lk_adapters.billing_files import CsvSourceFile
from lk_core.billing_import.kinds import FileKind

from .portal import (
    CHROMIUM,
    DESKTOP,
    SCREENS,
    SCREENSHOTS,
    DemoAccount,
    Portal,
    Screenshots,
    new_screen,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SERVER_START_SECONDS = 30
MOSCOW = ZoneInfo("Europe/Moscow")
LOG_LINES = 40


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Iterator[pytest.TestReport]:
    """A failed browser test shows what the server said meanwhile."""
    report: pytest.TestReport = yield
    portal = getattr(item, "funcargs", {}).get("portal")
    if report.failed and isinstance(portal, Portal) and portal.log.exists():
        lines = portal.log.read_text(errors="replace").splitlines()[-LOG_LINES:]
        report.sections.append(("lk serve (last lines)", "\n".join(lines)))
    return report


def missing(reason: str) -> None:
    """Skip when the browser cannot run here; on CI (`CI` set) fail instead."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; on CI the browser tests must run", pytrace=False)
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def lk_command() -> str:
    """The `lk` script of the virtualenv running the tests."""
    return str(Path(sys.executable).parent / "lk")


def wait_until_healthy(base_url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"lk serve exited with {server.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{base_url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    pytest.fail(f"lk serve did not answer /healthz in {SERVER_START_SECONDS} s")


@pytest.fixture(scope="package")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Portal]:
    """`lk demo` once, then `lk serve` on a free port of 127.0.0.1 until the session ends."""
    folder = tmp_path_factory.mktemp("portal")
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("LK_")},
        "LK_DEMO": "1",
        "LK_DATABASE_URL": f"sqlite:///{folder / 'lk.sqlite3'}",
        "LK_BASE_URL": base_url,
        "LK_RECEIPTS_FOLDER": str(folder / "receipts"),
    }
    demo = subprocess.run(
        [lk_command(), "demo", "--folder", str(folder / "demo")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if demo.returncode != 0:
        pytest.fail(f"lk demo failed ({demo.returncode}):\n{demo.stdout}\n{demo.stderr}")
    log = folder / "server.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [lk_command(), "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until_healthy(base_url, server, log)
        yield Portal(base_url=base_url, demo_folder=folder / "demo", log=log)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def demo_accounts(folder: Path) -> list[DemoAccount]:
    """Every account of the demo files, as (number as printed, payer's surname)."""
    source = CsvSourceFile(folder / f"{FileKind.ACCOUNTS.value}.csv", kind=FileKind.ACCOUNTS)
    number, payer = source.columns["account"], source.columns["payer"]
    return [
        DemoAccount(fields[number].strip(), fields[payer].split()[0])
        for _line, fields in source.rows()
    ]


@pytest.fixture(scope="package")
def unused_accounts(portal: Portal) -> Iterator[DemoAccount]:
    """Accounts with plain digit numbers, each handed to one test only."""
    return iter([a for a in demo_accounts(portal.demo_folder) if a.number.isdigit()])


@pytest.fixture
def account(unused_accounts: Iterator[DemoAccount]) -> DemoAccount:
    """An unregistered demo account of this test's own."""
    return next(unused_accounts)


def water_meter_accounts(portal: Portal) -> set[str]:
    """Accounts whose only cold-water meter takes readings (in service, verified)."""
    source = CsvSourceFile(
        portal.demo_folder / f"{FileKind.METERS.value}.csv", kind=FileKind.METERS
    )
    c = source.columns
    today = dt.datetime.now(MOSCOW).date()
    good: dict[str, int] = {}
    for _line, f in source.rows():
        if f[c["service"]] != "HVS" or f[c["kind"]] != "ИПУ":
            continue
        due = dt.date(*reversed([int(part) for part in f[c["next_verification_on"]].split(".")]))
        usable = f[c["archived"]] == "нет" and due > today
        account = f[c["account"]]
        good[account] = good.get(account, 0) + (1 if usable else 100)
    return {account for account, score in good.items() if score == 1}


@pytest.fixture
def water_account(portal: Portal, unused_accounts: Iterator[DemoAccount]) -> DemoAccount:
    usable = water_meter_accounts(portal)
    return next(a for a in unused_accounts if a.digits in usable)


@pytest.fixture(scope="package")
def account_with_letter_index(portal: Portal) -> DemoAccount:
    """The demo account printed with a letter index (e.g. `104007-А`); for one test only."""
    return next(a for a in demo_accounts(portal.demo_folder) if not a.number.isdigit())


@pytest.fixture(scope="package", autouse=True)
def chromium_can_run() -> None:
    """Checked before anything is started: Playwright for Python and Debian's Chromium."""
    if importlib.util.find_spec("playwright") is None:
        missing("Playwright for Python is not installed (pip install playwright)")
    if not CHROMIUM.exists():
        missing(f"{CHROMIUM} is missing: run scripts/install-browser.sh")


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, driven by Playwright (no downloaded browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS
        )
        yield chromium
        chromium.close()


def slug_of(request: pytest.FixtureRequest) -> str:
    return re.sub(r"\W+", "-", request.node.name.removeprefix("test_")).strip("-")


@pytest.fixture
def context(browser: Browser, portal: Portal) -> Iterator[BrowserContext]:
    """A fresh desktop browser context (1280×800, Russian) for one test."""
    ctx = browser.new_context(base_url=portal.base_url, locale="ru-RU", viewport=DESKTOP)
    ctx.set_default_timeout(10_000)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    """A page of this test's context."""
    return context.new_page()


@pytest.fixture(params=list(SCREENS))
def screen(
    request: pytest.FixtureRequest, browser: Browser, portal: Portal
) -> Iterator[BrowserContext]:
    """A fresh context on a 1280×800 desktop, then on a 360×740 phone with touch."""
    ctx = new_screen(browser, portal.base_url, SCREENS[request.param])
    yield ctx
    ctx.close()


@pytest.fixture(scope="package")
def screenshot_folder() -> Path:
    """tests/e2e/screenshots/ (git-ignored), emptied once per run: it shows this run only."""
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    SCREENSHOTS.mkdir(parents=True)
    return SCREENSHOTS


@pytest.fixture
def shots(request: pytest.FixtureRequest, screenshot_folder: Path) -> Screenshots:
    """`shots(page, "step")`: a full-page screenshot under tests/e2e/screenshots/."""
    return Screenshots(screenshot_folder, slug_of(request))
