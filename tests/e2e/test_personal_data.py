"""«Личные данные» in the browser: the account's data (F18), a new password and a new
e-mail (F19), linked accounts and the header's switcher (F20), on a desktop and a phone."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from lk_adapters.billing_files import CsvSourceFile
from lk_core.billing_import.kinds import FileKind

from .portal import (
    NEW_PASSWORD,
    PASSWORD,
    PHONE,
    WRONG_PASSWORD,
    DemoAccount,
    Portal,
    Screenshots,
    account_switcher,
    assert_the_header_takes_two_lines,
    assert_within_the_window,
    expect,
    expect_signed_in,
    link_account_by_surname,
    open_password_panel,
    outbox_link,
    page_width,
    register_by_email,
    sign_in,
    sign_out,
    switch_to,
)

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page

pytestmark = pytest.mark.e2e


def billing_record(portal: Portal, account: DemoAccount) -> tuple[str, str]:
    """The payer's full name and the house's address, as the demo billing files have them."""
    folder = portal.demo_folder
    houses = CsvSourceFile(folder / f"{FileKind.HOUSES.value}.csv", kind=FileKind.HOUSES)
    code, address = houses.columns["house"], houses.columns["address"]
    addresses = {fields[code].strip(): fields[address].strip() for _line, fields in houses.rows()}
    accounts = CsvSourceFile(folder / f"{FileKind.ACCOUNTS.value}.csv", kind=FileKind.ACCOUNTS)
    number, payer = accounts.columns["account"], accounts.columns["payer"]
    house = accounts.columns["house"]
    for _line, fields in accounts.rows():
        if fields[number].strip() == account.number:
            return fields[payer].strip(), addresses[fields[house].strip()]
    raise AssertionError(f"{account.number} is not in the demo accounts file")


def assert_fits_a_phone(page: Page) -> None:
    if page.viewport_size == PHONE:
        width = page_width(page)
        assert width <= PHONE["width"], f"{page.url} scrolls sideways: {width} px wide"


def test_the_tab_shows_the_payers_name_and_address(
    screen: BrowserContext, portal: Portal, account: DemoAccount, shots: Screenshots
) -> None:
    page = screen.new_page()
    register_by_email(screen, page, account, shots)
    name, address = billing_record(portal, account)

    page.locator("nav.site-nav").get_by_role("link", name="Личные данные").click()

    expect(page).to_have_url(re.compile(r"/personal/?$"))
    expect(page.get_by_role("heading", name="Личные данные", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name=f"Лицевой счёт {account.number}")).to_be_visible()
    data = page.locator("dl.personal-data")
    expect(data.locator("div", has_text="ФИО").locator("dd")).to_have_text(name)
    expect(data.locator("div", has_text="Адрес").locator("dd")).to_contain_text(address)
    expect(data.locator("dt")).to_have_text(
        [
            "ФИО", "Адрес", "Количество комнат", "Общая площадь квартиры", "Площадь дома",
            "Количество проживающих", "Телефон", "E-mail",
        ]
    )  # fmt: skip
    expect(data.locator("div", has_text="Общая площадь").locator("dd")).to_have_text(
        re.compile(r"^\d+(,\d+)? м²$")
    )
    assert_fits_a_phone(page)
    shots(page, "personal-data")


def test_password_change_refuses_a_wrong_current_password_then_the_new_one_signs_in(
    page: Page, account: DemoAccount, shots: Screenshots, context: BrowserContext
) -> None:
    register_by_email(context, page, account, shots)
    panel = open_password_panel(page)
    form = panel.locator("form[action='/personal/password']")

    form.get_by_label("Текущий пароль").fill(WRONG_PASSWORD)
    form.get_by_label("Новый пароль", exact=True).fill(NEW_PASSWORD)
    form.get_by_label("Новый пароль ещё раз").fill(NEW_PASSWORD)
    form.get_by_role("button", name="Сохранить").click()

    form = page.locator("form[action='/personal/password']")
    expect(form.locator("#pw-current-error")).to_be_visible()
    expect(form.get_by_label("Текущий пароль")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text("Пароль изменён")).to_have_count(0)
    shots(page, "password-wrong-current")

    form.get_by_label("Текущий пароль").fill(PASSWORD)
    form.get_by_label("Новый пароль", exact=True).fill(NEW_PASSWORD)
    form.get_by_label("Новый пароль ещё раз").fill(NEW_PASSWORD)
    form.get_by_role("button", name="Сохранить").click()

    expect(page).to_have_url(re.compile(r"/personal/?\?notice=password-changed$"))
    expect(page.get_by_role("status").filter(has_text="Пароль изменён")).to_be_visible()
    shots(page, "password-changed")

    sign_out(page)
    sign_in(page, account.number, PASSWORD)
    expect(page).not_to_have_url(re.compile(r"/home$"))
    shots(page, "old-password-refused")
    sign_in(page, account.number, NEW_PASSWORD)
    expect_signed_in(page, account)
    shots(page, "signed-in-with-new-password")


def test_a_new_email_takes_effect_by_the_link_from_the_outbox(
    context: BrowserContext, page: Page, account: DemoAccount, shots: Screenshots
) -> None:
    register_by_email(context, page, account, shots)
    new_email = f"new.{account.email}"
    panel = open_password_panel(page)
    form = panel.locator("form[action='/personal/email']")

    form.get_by_label("Новый адрес").fill(new_email)
    form.get_by_label("Текущий пароль").fill(PASSWORD)
    form.get_by_role("button", name="Сменить адрес").click()

    expect(page.get_by_role("heading", name="Проверьте почту")).to_be_visible()
    expect(page.locator("main")).to_contain_text(new_email)
    shots(page, "email-change-sent")
    page.goto("/personal")
    expect(page.locator("main")).to_contain_text(f"Ожидает подтверждения: {new_email}")

    page.goto(outbox_link(context, new_email, "/personal/email/confirm/", shots))

    expect(page.get_by_role("heading", name="Адрес электронной почты изменён")).to_be_visible()
    shots(page, "email-changed")
    page.get_by_role("link", name="К личным данным").click()
    expect(page.locator("main")).to_contain_text(f"Сейчас: {new_email}")
    expect(page.get_by_text("Ожидает подтверждения")).to_have_count(0)


def test_a_linked_account_is_switched_to_from_the_header_and_unlinked(
    screen: BrowserContext,
    account: DemoAccount,
    unused_accounts: Iterator[DemoAccount],
    shots: Screenshots,
) -> None:
    page = screen.new_page()
    other = next(unused_accounts)
    register_by_email(screen, page, account, shots)
    header = page.locator("header.site-header")
    expect(account_switcher(page)).to_have_count(0)

    link_account_by_surname(page, other)

    expect(page.get_by_role("status")).to_contain_text("Лицевой счёт привязан")
    accounts = page.locator("ul.account-list")
    expect(accounts).to_contain_text(account.number)
    expect(accounts).to_contain_text(other.number)
    switcher = account_switcher(page)
    expect(switcher.locator("option")).to_have_count(2)
    expect(switcher.locator("option:checked")).to_contain_text(account.number)
    assert_within_the_window(page, switcher)
    assert_fits_a_phone(page)
    shots(page, "linked")

    page.goto("/home")
    switch_to(page, other.number)

    expect(page).to_have_url(re.compile(r"/home$"))
    expect(account_switcher(page).locator("option:checked")).to_contain_text(other.number)
    expect(page.locator(".home-account")).to_contain_text(other.number)
    expect(page.locator(".home-account")).to_contain_text(other.surname)
    expect(page.locator("table.home-settlements tfoot")).to_contain_text("Итого к оплате")
    assert_within_the_window(page, account_switcher(page))
    # The choice applies as soon as it is made: «Перейти» is only for pages without script.
    expect(header.get_by_role("button", name="Перейти")).to_be_hidden()
    assert_fits_a_phone(page)
    if page.viewport_size == PHONE:
        assert_the_header_takes_two_lines(page)  # the switcher beside the name and «Выход»
    shots(page, "home-of-the-linked-account")

    page.locator("nav.site-nav").get_by_role("link", name="Личные данные").click()
    expect(page.get_by_role("heading", name=f"Лицевой счёт {other.number}")).to_be_visible()
    page.get_by_role("button", name=f"Отвязать лицевой счёт {other.number}").click()

    expect(page.get_by_role("status")).to_have_text("Лицевой счёт отвязан.")
    expect(account_switcher(page)).to_have_count(0)
    expect(header.locator(".who-account")).to_contain_text(account.number)
    expect(page.get_by_role("heading", name=f"Лицевой счёт {account.number}")).to_be_visible()
    expect(page.locator("ul.account-list li")).to_have_count(1)
    shots(page, "unlinked")
    page.goto("/home")
    expect(page.locator(".home-account")).to_contain_text(account.number)
    expect(page.locator(".home-account")).not_to_contain_text(other.number)
