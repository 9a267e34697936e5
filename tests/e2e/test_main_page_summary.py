"""The summary at the top of the main page (ADR 0067): on a 360×740 phone the amount,
«Оплатить» and the readings window are on the first screen; the readings window reads
right before, during and after it; services open without a script; and the page stays
usable at 200 % text size and 320 px wide (WCAG 1.4.4, 1.4.10)."""

from __future__ import annotations

import calendar
import datetime as dt
import os
import re
import subprocess
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from .conftest import MOSCOW, free_port, lk_command, wait_until_healthy
from .portal import (
    DESKTOP,
    PHONE,
    DemoAccount,
    Portal,
    Screenshots,
    assert_the_header_takes_two_lines,
    expect,
    page_width,
    register_by_email,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Locator, Page

pytestmark = pytest.mark.e2e

GENITIVE = (
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
)  # fmt: skip
NARROWEST = {"width": 320, "height": 640}
# The browser's text size setting doubled (16 → 32 px), as a resident would set it: the
# stylesheet sizes everything in rem and em, its breakpoints too.
DOUBLE_TEXT = {"fontSizes": {"standard": 32, "fixed": 26}}


def pay_button(page: Page) -> Locator:
    return page.locator(".summary-pay").get_by_role("link", name="Оплатить", exact=False)


def test_a_phone_shows_the_amount_pay_and_the_readings_on_the_first_screen(
    phone_screen: BrowserContext, account: DemoAccount, shots: Screenshots
) -> None:
    page = phone_screen.new_page()
    register_by_email(phone_screen, page, account, shots)
    page.evaluate("window.scrollTo(0, 0)")
    shots(page, "phone-first-screen")

    amount = page.locator(".summary-amount")
    expect(amount).to_contain_text("₽")
    for first_screen in (
        amount,
        pay_button(page),
        page.locator(".summary-window"),
        page.locator(".summary-readings").get_by_role("heading"),
    ):
        expect(first_screen).to_be_in_viewport(ratio=1)
    assert page_width(page) <= PHONE["width"]
    assert_the_header_takes_two_lines(page)


def test_services_open_on_a_phone_without_a_script_and_the_period_keeps_its_button(
    browser: Browser, portal: Portal, phone_screen: BrowserContext, account: DemoAccount,
    shots: Screenshots,
) -> None:  # fmt: skip
    page = phone_screen.new_page()
    register_by_email(phone_screen, page, account, shots)
    # With the script, the period applies as soon as it is chosen: no button.
    expect(page.get_by_role("button", name="Показать")).to_be_hidden()
    no_script = browser.new_context(
        base_url=portal.base_url, locale="ru-RU", viewport=PHONE,  # type: ignore[arg-type]
        java_script_enabled=False, storage_state=phone_screen.storage_state(),
    )  # fmt: skip
    try:
        bare = no_script.new_page()
        bare.goto("/home")
        expect(bare.locator("table.home-settlements")).to_be_hidden()
        first = bare.locator("details.svc").first
        amounts = first.locator("dl.svc-amounts")
        expect(amounts).to_be_hidden()
        first.locator("summary").click()
        expect(amounts).to_be_visible()
        expect(amounts).to_contain_text("Начислено")
        expect(amounts).to_contain_text("К оплате")
        shots(bare, "phone-service-opened-without-script")
        expect(bare.get_by_role("button", name="Показать")).to_be_visible()
    finally:
        no_script.close()


def test_a_desktop_keeps_the_table_and_the_period_applies_on_choosing(
    context: BrowserContext, page: Page, account: DemoAccount, shots: Screenshots
) -> None:
    register_by_email(context, page, account, shots)
    expect(page.locator("table.home-settlements")).to_be_visible()
    expect(page.locator(".svc-list")).to_be_hidden()
    expect(pay_button(page)).to_be_in_viewport()

    select = page.get_by_label("Расчётный период")
    earlier = select.locator("option").last.get_attribute("value")
    with page.expect_navigation():
        select.select_option(earlier)
    expect(page).to_have_url(re.compile(rf"/home\?period={earlier}$"))
    expect(page.get_by_label("Расчётный период")).to_have_value(earlier or "")


@pytest.mark.parametrize("size", ["phone", "desktop", "narrowest"])
def test_double_text_size_and_a_320_px_window_scroll_only_down(
    browser: Browser, portal: Portal, size: str, account: DemoAccount, shots: Screenshots
) -> None:
    viewport = {"phone": PHONE, "desktop": DESKTOP, "narrowest": NARROWEST}[size]
    # Not a mobile viewport: a phone's browser would widen the page to fit what is too
    # wide, and then nothing would scroll sideways to be caught.
    ctx = browser.new_context(
        base_url=portal.base_url,
        locale="ru-RU",
        viewport=viewport,  # type: ignore[arg-type]
    )
    ctx.set_default_timeout(10_000)
    try:
        page = ctx.new_page()
        register_by_email(ctx, page, account, shots)
        for text in ("normal", "double"):
            if text == "double":
                ctx.new_cdp_session(page).send("Page.setFontSizes", DOUBLE_TEXT)
                page.reload()
                amount = page.locator(".summary-amount")
                size_px = amount.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
                assert size_px >= 2 * 1.6 * 16, f"the amount is {size_px} px at double text size"
            width = page_width(page)
            assert width <= viewport["width"], (
                f"{text} text: {width} px wide: {page.evaluate(WIDE, viewport['width'])}"
            )
            assert_nothing_overlaps(page)
            # Last: the screenshot is taken at the normal text size.
            shots(page, f"home-{size}-{text}-text")
    finally:
        ctx.close()


WIDE = """(width) => [...document.querySelectorAll("body *")]
  .filter((el) => el.getBoundingClientRect().right > width + 1
    && ![...el.children].some((c) => c.getBoundingClientRect().right > width + 1))
  .slice(0, 8).map((el) => `${el.tagName}.${el.className}`)"""
OVERLAPS = """() => {
  const boxes = [...document.querySelectorAll(
    ".site-header .brand, .site-header .who > *, .site-nav a, .summary-amount, .summary-note,"
    + ".summary-actions .button, .summary-window, .svc summary, .home-period select"
  )].filter((el) => el.getClientRects().length).map((el) => [el, el.getBoundingClientRect()]);
  const found = [];
  for (const [a, ra] of boxes) for (const [b, rb] of boxes) {
    if (a === b || a.contains(b) || b.contains(a)) continue;
    const x = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
    const y = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
    if (x > 1 && y > 1) found.push(`${a.className || a.tagName} × ${b.className || b.tagName}`);
  }
  return found;
}"""
CUT = """() => [...document.querySelectorAll(".summary *, .site-header *, .svc summary *")]
  .filter((el) => el.children.length === 0 && el.clientWidth > 1
    && el.scrollWidth > el.clientWidth + 1
    && getComputedStyle(el).overflow !== "visible"
    // The company's name may end in «…» on a phone: its link's title holds it in full.
    && el.closest("[title]")?.title !== el.textContent.trim())
  .map((el) => el.className || el.tagName)"""


def assert_nothing_overlaps(page: Page) -> None:
    assert page.evaluate(OVERLAPS) == []
    assert page.evaluate(CUT) == []


# --- the readings window, read against servers with the window set around today --------


def window_policies(today: dt.date) -> dict[str, dict[str, str] | None]:
    """Opening and cut-off days that put today before, in and after the window; None
    where today's place in the month makes that impossible (the 1st, the last day)."""
    last = calendar.monthrange(today.year, today.month)[1]
    d = today.day
    return {
        "before": None if d == last else {"opening": str(d + 1), "cutoff": str(last)},
        "during": {"opening": str(max(1, d - 1)), "cutoff": str(min(last, d + 1))},
        "after": None if d == 1 else {"opening": "1", "cutoff": str(d - 1)},
    }


@pytest.fixture
def policy_server(portal: Portal, request: pytest.FixtureRequest) -> Iterator[str]:
    """A second `lk serve` over the same database, with the readings window of the test."""
    days = request.param
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    folder = portal.demo_folder.parent
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("LK_")},
        "LK_DEMO": "1",
        "LK_DATABASE_URL": f"sqlite:///{folder / 'lk.sqlite3'}",
        "LK_BASE_URL": base_url,
        "LK_RECEIPTS_FOLDER": str(folder / "receipts"),
        "LK_POLICIES_READING_OPENING_DAY": days["opening"],
        "LK_POLICIES_READING_CUTOFF_DAY": days["cutoff"],
    }
    log = folder / f"server-{port}.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [lk_command(), "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env, stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        wait_until_healthy(base_url, server, log)
        yield base_url
    finally:
        server.terminate()
        server.wait(timeout=10)


TODAY = dt.datetime.now(MOSCOW).date()
POLICIES = window_policies(TODAY)


@pytest.mark.parametrize(
    ("policy_server", "state"),
    [pytest.param(days, state, marks=pytest.mark.skipif(days is None, reason="not today"))
     for state, days in POLICIES.items()],
    indirect=["policy_server"],
)  # fmt: skip
def test_the_readings_window_reads_right_before_during_and_after_it(
    browser: Browser, policy_server: str, state: str, water_account: DemoAccount,
    shots: Screenshots,
) -> None:  # fmt: skip
    ctx = browser.new_context(
        base_url=policy_server, locale="ru-RU", viewport=PHONE, is_mobile=True, has_touch=True
    )
    ctx.set_default_timeout(10_000)
    try:
        page = ctx.new_page()
        register_by_email(ctx, page, water_account, shots)
        days = POLICIES[state]
        assert days is not None
        month = GENITIVE[TODAY.month - 1]
        span = f"с {days['opening']} по {days['cutoff']} {month}"
        window = page.locator(".summary-window")
        if state == "during":
            expect(window).to_have_text(f"Передайте показания {span}")
        elif state == "before":
            expect(window).to_contain_text("Приём показаний за ")
            expect(window).to_contain_text(span)
        else:
            next_month = GENITIVE[TODAY.month % 12]
            expect(window).to_contain_text(f"Приём показаний закрыт до 1 {next_month}")
        readings = page.locator(".summary-readings")
        expect(readings).to_contain_text(re.compile(r"переданы по 0 из \d+ счётчик"))
        expect(readings.get_by_role("link", name="Передать показания")).to_be_in_viewport()
        shots(page, f"readings-window-{state}")
    finally:
        ctx.close()


@pytest.fixture
def phone_screen(browser: Browser, portal: Portal) -> Iterator[BrowserContext]:
    ctx = browser.new_context(
        base_url=portal.base_url, locale="ru-RU", viewport=PHONE, is_mobile=True, has_touch=True
    )
    ctx.set_default_timeout(10_000)
    yield ctx
    ctx.close()
