"""The main page in the browser: settlements of a period (F9) on a desktop and on a phone,
and the additional services panel (F10)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from .portal import (
    PHONE,
    DemoAccount,
    Screenshots,
    assert_within_the_window,
    expect,
    page_width,
    register_by_email,
)

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Locator, Page

pytestmark = pytest.mark.e2e

# `1 234,56 ₽`, `−12,00 ₽`: groups and the sign of roubles apart by non-breaking spaces.
AMOUNT = re.compile(r"^−?\d{1,3}(?:\u00a0\d{3})*,\d{2}\u00a0₽$")


def settlements(page: Page) -> Locator:
    return page.locator("table.home-settlements")


def total_row(page: Page) -> Locator:
    return settlements(page).locator("tfoot tr.home-total")


def assert_amounts_formatted(cells: Locator) -> list[str]:
    """Each cell's amount (a balance's word such as «долг» aside) is written like `1 234,56 ₽`."""
    amounts = [
        text.strip()
        for text in cells.evaluate_all(
            "cells => cells.map(c => (c.querySelector('.home-amount') || c).textContent)"
        )
    ]
    assert amounts, "no amounts in the settlements table"
    for amount in amounts:
        assert AMOUNT.match(amount), f"{amount!r} is not written like «1 234,56 ₽»"
    return amounts


def test_settlements_show_services_the_total_and_an_earlier_period(
    screen: BrowserContext, account: DemoAccount, shots: Screenshots
) -> None:
    page = screen.new_page()
    register_by_email(screen, page, account, shots)
    phone = page.viewport_size == PHONE

    if phone:
        # A phone shows each service as a line that opens onto its amounts (ADR 0067).
        lines = page.locator("details.svc")
        assert lines.count() >= 4, "fewer than three services and the total"
        expect(lines.last.locator(".svc-name")).to_have_text("Итого")
        for due in lines.locator(".svc-due").all_inner_texts():
            assert AMOUNT.match(due.split(" (")[0].strip()), due
    else:
        table = settlements(page)
        expect(table).to_be_visible()
        services = table.locator("tbody th.home-service")
        assert services.count() >= 3, "fewer than three services in the table"
        expect(services.first).not_to_be_empty()
        expect(total_row(page).locator("th")).to_have_text("Итого к оплате")
        assert_amounts_formatted(table.locator(".home-amount"))
        assert_amounts_formatted(table.locator("tfoot .home-cell-value"))
    expect(page.locator(".home-due")).to_be_visible()

    select = page.get_by_label("Расчётный период")
    newest = select.input_value()
    values = select.locator("option").evaluate_all("options => options.map(o => o.value)")
    assert len(values) >= 2, "no earlier period to choose"
    assert values[0] == newest, "the newest period is not shown by default"
    assert values == sorted(values, reverse=True), "periods are not listed newest first"
    shots(page, "home-newest-period")

    earlier = values[-1]
    label = select.locator(f'option[value="{earlier}"]').inner_text().strip()
    with page.expect_navigation():  # the page's script applies the choice at once
        select.select_option(earlier)

    expect(page).to_have_url(re.compile(rf"/home\?period={earlier}$"))
    expect(page.get_by_role("heading", name=f"Состояние расчётов за {label}")).to_be_visible()
    expect(page.get_by_label("Расчётный период")).to_have_value(earlier)
    expect(settlements(page).locator("caption")).to_contain_text(label)
    shots(page, "home-earlier-period")

    if phone:
        assert page_width(page) <= PHONE["width"], f"/home scrolls sideways: {page_width(page)} px"
        total = page.locator("details.svc").last
        assert_within_the_window(page, total)
        total.locator("summary").click()
        expect(total.locator("dl")).to_contain_text("К оплате")
        assert_within_the_window(page, total.locator("dl"))
    else:
        assert_amounts_formatted(settlements(page).locator("tfoot .home-cell-value"))


def services_panel(page: Page) -> Locator:
    return page.locator("section#services")


def test_services_panel_saves_email_informing_and_the_bill_by_email(
    context: BrowserContext, page: Page, account: DemoAccount, shots: Screenshots
) -> None:
    register_by_email(context, page, account, shots)
    bills = f"bills.{account.email}"
    panel = services_panel(page)
    shots(page, "home-services-before")

    panel.get_by_role("checkbox", name=re.compile("на указанный адрес письма")).check()
    panel.get_by_role("textbox", name="Адрес электронной почты").fill(bills)
    panel.get_by_role("radio", name=re.compile("Счёт по e-mail")).check()
    panel.get_by_role("button", name="Сохранить изменения").click()

    expect(services_panel(page).get_by_role("status")).to_have_text("Изменения сохранены")
    expect(page).to_have_url(re.compile(r"/home\?(period=[0-9-]+&)?saved=1#services$"))
    shots(page, "home-services-saved")

    page.goto("/home")
    panel = services_panel(page)
    expect(panel.get_by_text("Изменения сохранены")).to_have_count(0)
    expect(
        panel.get_by_role("checkbox", name=re.compile("на указанный адрес письма"))
    ).to_be_checked()
    expect(panel.get_by_role("radio", name=re.compile("Счёт по e-mail"))).to_be_checked()
    expect(panel.get_by_role("radio", name=re.compile("Счёт на дом"))).not_to_be_checked()
    expect(panel.get_by_role("textbox", name="Адрес электронной почты")).to_have_value(bills)
    expect(
        panel.get_by_role("checkbox", name=re.compile("на указанный номер смс"))
    ).not_to_be_checked()
    shots(page, "home-services-after-reload")


def test_services_panel_refuses_an_invalid_phone_for_sms_and_changes_nothing(
    context: BrowserContext, page: Page, account: DemoAccount, shots: Screenshots
) -> None:
    register_by_email(context, page, account, shots)
    panel = services_panel(page)
    phone_before = panel.get_by_label("Номер мобильного телефона").input_value()

    panel.get_by_role("checkbox", name=re.compile("на указанный номер смс")).check()
    panel.get_by_label("Номер мобильного телефона").fill("12-34")
    panel.get_by_role("button", name="Сохранить изменения").click()

    panel = services_panel(page)
    phone_field = panel.locator(".field", has=page.locator("#phone"))
    expect(phone_field).to_have_class(re.compile(r"\bhas-error\b"))
    expect(phone_field.locator(".error")).to_be_visible()
    expect(panel.get_by_label("Номер мобильного телефона")).to_have_attribute(
        "aria-invalid", "true"
    )
    expect(panel.get_by_role("alert")).to_contain_text("Изменения не сохранены")
    expect(panel.get_by_text("Изменения сохранены", exact=True)).to_have_count(0)
    shots(page, "home-services-invalid-phone")

    page.goto("/home")
    panel = services_panel(page)
    expect(
        panel.get_by_role("checkbox", name=re.compile("на указанный номер смс"))
    ).not_to_be_checked()
    expect(panel.get_by_label("Номер мобильного телефона")).to_have_value(phone_before)
    shots(page, "home-services-unchanged")
