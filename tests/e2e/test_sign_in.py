"""Sign-in (F1) and sign-out (F8) in the browser."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from .portal import (
    PASSWORD,
    WRONG_PASSWORD,
    DemoAccount,
    Screenshots,
    expect,
    expect_signed_in,
    register_by_email,
    sign_in,
    sign_in_form,
    sign_out,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

    from .portal import Portal

pytestmark = pytest.mark.e2e


def test_a_registered_resident_signs_in_with_the_digits_of_a_lettered_number(
    context: BrowserContext,
    page: Page,
    account_with_letter_index: DemoAccount,
    shots: Screenshots,
) -> None:
    account = account_with_letter_index
    register_by_email(context, page, account, shots)
    sign_out(page)

    sign_in(page, account.digits, PASSWORD)

    expect_signed_in(page, account)
    shots(page, "signed-in-again")


def test_a_wrong_password_is_refused_next_to_the_form(
    context: BrowserContext, page: Page, account: DemoAccount, shots: Screenshots
) -> None:
    register_by_email(context, page, account, shots)
    sign_out(page)

    sign_in(page, account.number, WRONG_PASSWORD)

    form = sign_in_form(page)
    expect(form.get_by_role("alert")).to_have_text("Неверный номер лицевого счёта или пароль")
    expect(form.get_by_label("Номер лицевого счёта")).to_have_value(account.number)
    expect(form.get_by_label("Пароль", exact=True)).to_have_value("")
    expect(page).not_to_have_url(re.compile(r"/home$"))
    expect(page.locator("header.site-header").get_by_role("button", name="Выход")).to_have_count(0)
    shots(page, "wrong-password")


def test_sign_out_from_the_top_right_button_ends_the_session_on_the_server(
    browser: Browser,
    portal: Portal,
    context: BrowserContext,
    page: Page,
    account: DemoAccount,
    shots: Screenshots,
) -> None:
    register_by_email(context, page, account, shots)
    button = page.locator("header.site-header").get_by_role("button", name="Выход")
    box = button.bounding_box()
    assert box is not None
    assert box["x"] > page.viewport_size["width"] / 2, "«Выход» is not on the right"
    assert box["y"] < 200, "«Выход» is not at the top"
    session_cookies = context.cookies()

    sign_out(page)
    shots(page, "signed-out")

    # The browser's «Back» asks the server again (no-store) and is turned away.
    page.go_back()
    expect(page).to_have_url(re.compile(r"/\?notice=signed-out$"))
    expect(page.locator("header.site-header")).not_to_contain_text(account.number)
    page.goto("/home")
    expect(page).to_have_url(re.compile(r"/\?notice=signed-out$"))
    expect(sign_in_form(page)).to_be_visible()
    shots(page, "home-after-sign-out")
    # The old cookie, replayed by someone who copied it, no longer opens the account.
    thief = browser.new_context(base_url=portal.base_url)
    try:
        thief.add_cookies(session_cookies)
        stolen = thief.new_page()
        stolen.goto("/home")
        expect(stolen).to_have_url(re.compile(r"/\?notice=signed-out$"))
    finally:
        thief.close()
