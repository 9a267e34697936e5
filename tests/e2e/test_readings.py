"""«Передать показания» in the browser (F13–F17, F23): a good value accepted, a bad one
refused as it is typed and by the server, a pending one deleted, and after the billing
exchange «Рассчитано»; the building's common-house meters; on a desktop and a 360-px phone."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from lk_core.kernel.errors import InvalidValue
from lk_core.kernel.periods import Period
from lk_core.readings.errors import (
    ReadingNegative,
    ReadingTooManyFractionDigits,
    ReadingTooManyIntegerDigits,
)
from lk_core.readings.meters import DigitCapacity
from lk_core.readings.reading import parse_reading_value

from .conftest import MOSCOW, lk_command
from .portal import (
    DESKTOP,
    PHONE,
    DemoAccount,
    Portal,
    Screenshots,
    assert_within_the_window,
    expect,
    new_screen,
    page_width,
    previous_value,
    register_by_email,
    water_line,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Locator, Page

pytestmark = pytest.mark.e2e

REFUSED_RED = "rgb(176, 0, 32)"
TOO_LONG = "Показание должно содержать не более 5 знаков до запятой"


def lk(portal: Portal, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("LK_")},
        "LK_DEMO": "1",
        "LK_DATABASE_URL": f"sqlite:///{portal.demo_folder.parent / 'lk.sqlite3'}",
    }
    done = subprocess.run(
        [lk_command(), *args], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def billing_calculates(portal: Portal, meter_id: str, folder: Path) -> None:
    """The operator exports the period's readings and loads billing's answer: this meter's
    reading calculated (the others are left as they are)."""
    period = Period.of(dt.datetime.now(MOSCOW).date())
    exported = folder / "export.csv"
    lk(portal, "readings", "export", "--period", str(period), "--output", str(exported))
    header, *rows = exported.read_text(encoding="utf-8-sig").splitlines()
    ours = [row.replace(";Принято;", ";Рассчитано;") for row in rows if f";{meter_id};" in row]
    assert len(ours) == 1, rows
    results = folder / "results.csv"
    results.write_text("\n".join([header, *ours]) + "\n", encoding="utf-8")
    lk(portal, "readings", "import-results", str(results))


def entry_status(page: Page) -> Locator:
    return water_line(page).locator(".readings-entry")


def open_water_readings(page: Page, shots: Screenshots) -> None:
    page.goto("/home")
    page.locator(".summary-readings").get_by_role("link", name="Передать показания").click()
    page.get_by_role("link", name="Холодное водоснабжение").click()
    expect(page.get_by_role("heading", name="Холодное водоснабжение: показания")).to_be_visible()
    shots(page, "water-lines")


def test_a_resident_submits_sees_a_refusal_deletes_and_sees_it_calculated(
    screen: BrowserContext,
    water_account: DemoAccount,
    shots: Screenshots,
    portal: Portal,
    tmp_path: Path,
) -> None:
    page = screen.new_page()
    register_by_email(screen, page, water_account, shots)
    open_water_readings(page, shots)
    field = water_line(page).get_by_label("Новое показание")
    phone = page.viewport_size == PHONE

    # Refused as it is typed, in red, with the server's words; the form is not sent.
    field.fill("1234567")
    expect(entry_status(page)).to_have_text(TOO_LONG)
    refusal = entry_status(page).locator(".readings-refused")
    assert refusal.evaluate("e => getComputedStyle(e).color") == REFUSED_RED
    expect(field).to_have_attribute("aria-invalid", "true")
    shots(page, "refused-as-typed")
    page.get_by_role("button", name="Передать показания").click()
    expect(field).to_be_focused()
    assert "/readings?service=HVS" in page.url

    # A good value: accepted, waiting for billing.
    good = previous_value(page) + Decimal("3.25")
    field.fill(format(good, "f").replace(".", ","))
    expect(entry_status(page)).not_to_contain_text("Показание должно")
    page.get_by_role("button", name="Передать показания").click()
    expect(page.get_by_role("status").first).to_contain_text("Показания приняты")
    expect(entry_status(page)).to_contain_text("Принято")
    expect(water_line(page)).to_contain_text("ожидает расчёта")
    if phone:
        assert page_width(page) <= PHONE["width"]
        assert_within_the_window(page, water_line(page))
    shots(page, "accepted")

    # Deleted while pending.
    water_line(page).get_by_role("button", name="Удалить").click()
    expect(page.get_by_role("status").first).to_contain_text("Показание удалено")
    expect(entry_status(page)).to_have_text("—")
    shots(page, "deleted")

    # Sent again, then calculated by billing.
    water_line(page).get_by_label("Новое показание").fill(format(good, "f").replace(".", ","))
    page.get_by_role("button", name="Передать показания").click()
    expect(entry_status(page)).to_contain_text("Принято")
    history_link = water_line(page).get_by_role("link", name="История показаний")
    meter_id = (history_link.get_attribute("href") or "").rsplit("/", 1)[-1]
    billing_calculates(portal, meter_id, tmp_path)
    page.reload()
    expect(entry_status(page)).to_contain_text("Рассчитано")
    expect(water_line(page)).to_contain_text("Личный кабинет")
    expect(water_line(page).get_by_role("button", name="Удалить")).to_have_count(0)
    shots(page, "calculated")

    # The history keeps what happened.
    history_link.click()
    history = page.locator("table.readings-history")
    expect(history.locator("tbody tr").nth(0)).to_contain_text("Рассчитано")
    expect(history.locator("tbody tr").nth(1)).to_contain_text("Удалено")
    if phone:
        assert page_width(page) <= PHONE["width"]
    shots(page, "history")


def test_without_javascript_the_server_refuses_a_bad_value_with_its_reason(
    browser: Browser, portal: Portal, water_account: DemoAccount, shots: Screenshots
) -> None:
    ctx = browser.new_context(
        base_url=portal.base_url, locale="ru-RU", viewport=PHONE,  # type: ignore[arg-type]
        java_script_enabled=False,
    )  # fmt: skip
    ctx.set_default_timeout(10_000)
    try:
        page = ctx.new_page()
        register_by_email(ctx, page, water_account, shots)
        open_water_readings(page, shots)
        water_line(page).get_by_label("Новое показание").fill("12,34567")
        page.get_by_role("button", name="Передать показания").click()
        expect(page.get_by_role("alert").first).to_contain_text("Показания не приняты")
        expect(entry_status(page)).to_have_text(
            "Показание должно содержать не более 3 знаков после запятой"
        )
        expect(water_line(page).get_by_label("Новое показание")).to_have_value("12,34567")
        assert page_width(page) <= PHONE["width"]
        shots(page, "refused-by-the-server")
    finally:
        ctx.close()


def test_the_buildings_common_house_meters_are_shown_by_period(
    screen: BrowserContext, account: DemoAccount, shots: Screenshots
) -> None:
    page = screen.new_page()
    register_by_email(screen, page, account, shots)
    page.goto("/home")
    page.get_by_role("link", name="Общедомовые приборы учёта").click()
    expect(page.get_by_role("heading", name="Общедомовые приборы учёта")).to_be_visible()
    table = page.locator("table.readings-house")
    expect(table.locator("thead")).to_contain_text("Отопление")
    assert table.locator("tbody tr").count() >= 3
    expect(table.locator("tbody tr").first.locator("td").first).to_contain_text("расход")
    if page.viewport_size == PHONE:
        assert page_width(page) <= PHONE["width"]
    shots(page, "house")


TYPED = [
    "1 234,5", "12,3456", "123456", "99999,999", "100000", "00099999", "-1", "-0", "-0,5",
    "abc", "1e5", "12.", ",5", "1,2,3", "0,000", "12,3400", "5\u00a0000",
]  # fmt: skip


def capacity_problem(text: str, capacity: DigitCapacity) -> str:
    """What the server says of a value's form and digit capacity (check_reading's order)."""
    try:
        value = parse_reading_value(text)
    except InvalidValue as error:
        return error.message_ru
    if value < 0:
        return ReadingNegative().message_ru
    if not capacity.fraction_fits(value):
        return ReadingTooManyFractionDigits(capacity.fraction_digits).message_ru
    if not capacity.integer_fits(value):
        return ReadingTooManyIntegerDigits(capacity.integer_digits).message_ru
    return ""


def test_the_page_refuses_as_typed_exactly_what_the_server_refuses(
    browser: Browser, portal: Portal, water_account: DemoAccount, shots: Screenshots
) -> None:
    ctx = new_screen(browser, portal.base_url, DESKTOP)
    try:
        page = ctx.new_page()
        register_by_email(ctx, page, water_account, shots)
        open_water_readings(page, shots)
        field = water_line(page).get_by_label("Новое показание")
        capacity = DigitCapacity(
            int(field.get_attribute("data-integer-digits") or 0),
            int(field.get_attribute("data-fraction-digits") or 0),
        )
        for text in TYPED:
            field.fill(text)
            refusal = entry_status(page).locator(".readings-refused")
            shown = refusal.inner_text() if refusal.count() else ""
            assert shown == capacity_problem(text, capacity), text
    finally:
        ctx.close()
