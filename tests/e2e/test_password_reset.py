"""Forgotten password (F7) in the browser: the link, the new password, signing in with it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from .portal import (
    NEW_PASSWORD,
    PASSWORD,
    DemoAccount,
    Screenshots,
    expect,
    expect_signed_in,
    outbox_link,
    register_by_email,
    sign_in,
    sign_in_form,
    sign_out,
)

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page

pytestmark = pytest.mark.e2e


def test_a_forgotten_password_is_replaced_by_the_emailed_link(
    context: BrowserContext, page: Page, account: DemoAccount, shots: Screenshots
) -> None:
    register_by_email(context, page, account, shots)
    sign_out(page)

    page.get_by_role("link", name="Забыли пароль?").click()
    expect(page.get_by_role("heading", name="Восстановление пароля")).to_be_visible()
    shots(page, "forgot-form")
    page.get_by_label("Номер лицевого счёта").fill(account.number)
    page.get_by_label("Адрес электронной почты").fill(account.email)
    page.get_by_role("button", name="Отправить ссылку").click()
    expect(page.get_by_role("heading", name="Проверьте почту")).to_be_visible()
    shots(page, "forgot-sent")

    page.goto(outbox_link(context, account.email, "/password/reset/", shots))
    expect(page.get_by_role("heading", name="Новый пароль")).to_be_visible()
    shots(page, "reset-form")
    page.get_by_role("textbox", name="Новый пароль").fill(NEW_PASSWORD)
    page.get_by_label("Пароль ещё раз").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Сохранить пароль").click()
    expect(page.get_by_role("heading", name="Пароль изменён")).to_be_visible()
    shots(page, "reset-done")

    sign_in(page, account.number, PASSWORD)
    expect(sign_in_form(page).get_by_role("alert")).to_have_text(
        "Неверный номер лицевого счёта или пароль"
    )
    sign_in(page, account.number, NEW_PASSWORD)
    expect_signed_in(page, account)
    shots(page, "signed-in-with-new-password")
