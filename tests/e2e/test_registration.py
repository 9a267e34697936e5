"""Registration in the browser: by the e-mailed link (F2–F4) and by an SMS code (F5)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from .portal import (
    PASSWORD,
    DemoAccount,
    Screenshots,
    expect,
    expect_signed_in,
    fill_registration,
    outbox_link,
    register_by_email,
    sms_code_in_outbox,
    start_first_visit,
)

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page

pytestmark = pytest.mark.e2e


def test_first_visit_then_the_emailed_link_signs_the_resident_in(
    page: Page, account: DemoAccount, shots: Screenshots
) -> None:
    start_first_visit(page, account, shots)
    expect(page.locator("main")).to_contain_text(account.number)
    fill_registration(page, account, method="email", password=PASSWORD)
    expect(page.get_by_role("heading", name="Проверьте почту")).to_be_visible()
    expect(page.locator("main")).to_contain_text(account.email)
    shots(page, "check-your-mail")

    page.get_by_role("link", name="демо-почте").click()
    expect(page).to_have_url(re.compile(r"/demo/outbox$"))
    shots(page, "demo-outbox")
    letter = page.locator("article.message").filter(has_text=account.email).first
    expect(letter).to_contain_text("Подтверждение регистрации")
    letter.locator('a[href*="/register/confirm/"]').click()

    expect_signed_in(page, account)
    shots(page, "signed-in")


def test_the_emailed_link_works_once(
    context: BrowserContext, page: Page, account: DemoAccount, shots: Screenshots
) -> None:
    register_by_email(context, page, account, shots)
    link = outbox_link(context, account.email, "/register/confirm/", shots)

    response = page.goto(link)

    assert response is not None
    assert response.status == 410
    expect(page.get_by_role("heading", name="Ссылка уже использована")).to_be_visible()
    shots(page, "link-used")


def test_sms_code_confirms_the_phone_and_save_signs_the_resident_in(
    context: BrowserContext, page: Page, account: DemoAccount, shots: Screenshots
) -> None:
    start_first_visit(page, account, shots)
    fill_registration(page, account, method="sms", password=PASSWORD)
    expect(page).to_have_url(re.compile(r"/register/sms$"))
    shots(page, "sms-phone")

    page.get_by_label("Номер телефона").fill(account.phone)
    page.get_by_role("button", name="Отправить смс").click()
    expect(page.get_by_text("Код отправлен на")).to_be_visible()
    shots(page, "sms-code")

    page.get_by_label("Код подтверждения").fill(sms_code_in_outbox(context, account.phone, shots))
    page.get_by_role("button", name="ОК").click()
    expect(page.get_by_text("Подтверждено")).to_be_visible()
    shots(page, "sms-confirmed")

    page.get_by_role("button", name="Сохранить").click()

    expect_signed_in(page, account)
    shots(page, "signed-in")


def test_a_wrong_sms_code_is_refused_and_the_form_stays(
    context: BrowserContext, page: Page, account: DemoAccount, shots: Screenshots
) -> None:
    start_first_visit(page, account, shots)
    fill_registration(page, account, method="sms", password=PASSWORD)
    shots(page, "sms-phone")
    page.get_by_label("Номер телефона").fill(account.phone)
    page.get_by_role("button", name="Отправить смс").click()
    right = sms_code_in_outbox(context, account.phone, shots)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"

    page.get_by_label("Код подтверждения").fill(wrong)
    page.get_by_role("button", name="ОК").click()

    expect(page.locator(".has-error .error")).to_be_visible()
    expect(page.get_by_text("Подтверждено")).to_have_count(0)
    shots(page, "sms-wrong-code")
