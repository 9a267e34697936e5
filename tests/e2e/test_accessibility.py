"""Every page a visitor or a resident can reach, in each of its states (a form refused, a
notice shown, a panel unfolded), on a 1280-px desktop and a 360×740 phone: axe-core finds
no serious or critical violation of WCAG 2.1 AA, and every field has a visible label.
Keyboard focus, which axe does not try, is checked by pressing Tab."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from .accessibility import Audit, assert_focus_is_visible_at_every_tab_stop
from .portal import (
    NEW_PASSWORD,
    PASSWORD,
    WRONG_PASSWORD,
    DemoAccount,
    Screenshots,
    expect,
    expect_signed_in,
    fill_registration,
    link_account_by_surname,
    open_password_panel,
    outbox_link,
    previous_value,
    register_by_email,
    sign_in,
    sign_in_form,
    sign_out,
    sms_code_in_outbox,
    start_first_visit,
    switch_to,
    water_line,
)

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page

pytestmark = pytest.mark.e2e

CARD = "Банковская карта (демо-эквайринг)"


def heading(page: Page, name: str) -> None:
    expect(page.get_by_role("heading", name=name, exact=True).first).to_be_visible()


def refused(page: Page) -> None:
    """A form came back with its errors."""
    expect(page.locator(".alert-error, .has-error .error").first).to_be_visible()


def test_the_audit_names_the_rule_the_impact_and_the_element(page: Page) -> None:
    """The audit itself can fail: pale text and a field without a label are caught."""
    page.set_content(
        '<html lang="ru"><title>Проверка</title><main><h1>Проверка</h1>'
        '<p style="color:#aaa">Бледный текст</p>'
        '<input id="nameless" aria-label="Без подписи"></main></html>'
    )
    audit = Audit()

    audit(page, "made to fail")

    found = {(v.rule, v.impact, v.target) for v in audit.found}
    assert found == {
        ("color-contrast", "serious", "p"),
        ("visible-label (by hand)", "serious", "#nameless"),
    }
    with pytest.raises(AssertionError, match=r"color-contrast \(serious\) at `p`"):
        audit.assert_clean()


def test_the_signed_out_pages_pass_axe(
    screen: BrowserContext, account: DemoAccount, shots: Screenshots
) -> None:
    page = screen.new_page()
    audit = Audit()
    page.goto("/")
    audit(page, "front page")
    sign_in_form(page).get_by_role("button", name="Показать").click()
    audit(page, "password shown")
    page.goto("/?notice=registration-expired")
    audit(page, "registration expired")
    sign_in(page, "000000", WRONG_PASSWORD)
    expect(page.get_by_role("alert")).to_be_visible()
    audit(page, "sign-in refused")
    page.locator("section", has=page.locator("#first-title")).get_by_role(
        "button", name="Продолжить"
    ).click()
    refused(page)
    audit(page, "first visit refused")
    shots(page, "first-visit-refused")

    start_first_visit(page, account, shots)
    audit(page, "registration form")
    page.get_by_role("button", name="Сохранить").click()
    refused(page)
    audit(page, "registration refused")
    fill_registration(page, account, method="email", password=PASSWORD)
    heading(page, "Проверьте почту")
    audit(page, "check your mail")
    page.goto("/demo/outbox")
    audit(page, "demo outbox")
    link = outbox_link(screen, account.email, "/register/confirm/", shots)
    page.goto(link)
    expect_signed_in(page, account)
    page.goto(link)
    heading(page, "Ссылка уже использована")
    audit(page, "link used")
    page.goto("/register/confirm/no-such-token")
    audit(page, "link unknown")

    page.goto("/home")
    sign_out(page)
    audit(page, "signed out")
    page.get_by_role("link", name="Забыли пароль?").click()
    audit(page, "forgot password")
    page.get_by_label("Номер лицевого счёта").fill(account.number)
    page.get_by_label("Адрес электронной почты").fill(account.email)
    page.get_by_role("button", name="Отправить ссылку").click()
    heading(page, "Проверьте почту")
    audit(page, "reset link sent")
    page.goto(outbox_link(screen, account.email, "/password/reset/", shots))
    heading(page, "Новый пароль")
    audit(page, "new password")
    page.get_by_role("button", name="Сохранить пароль").click()
    refused(page)
    audit(page, "new password refused")
    page.get_by_role("textbox", name="Новый пароль").fill(NEW_PASSWORD)
    page.get_by_label("Пароль ещё раз").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Сохранить пароль").click()
    heading(page, "Пароль изменён")
    audit(page, "password changed")
    page.goto("/password/reset/no-such-token")
    audit(page, "reset link unknown")

    page.goto("/privacy")
    audit(page, "privacy policy")
    page.goto("/no-such-page")
    audit(page, "not found")
    shots(page, "not-found")
    audit.assert_clean()


def test_the_sms_registration_pages_pass_axe(
    screen: BrowserContext, account: DemoAccount, shots: Screenshots
) -> None:
    page = screen.new_page()
    audit = Audit()
    start_first_visit(page, account, shots)
    fill_registration(page, account, method="sms", password=PASSWORD)
    expect(page).to_have_url(re.compile(r"/register/sms$"))
    audit(page, "phone")
    page.get_by_label("Номер телефона").fill("12-34")
    page.get_by_role("button", name="Отправить смс").click()
    refused(page)
    audit(page, "phone refused")
    page.get_by_label("Номер телефона").fill(account.phone)
    page.get_by_role("button", name="Отправить смс").click()
    expect(page.get_by_text("Код отправлен на")).to_be_visible()
    audit(page, "code sent")
    right = sms_code_in_outbox(screen, account.phone, shots)
    page.get_by_label("Код подтверждения").fill(f"{(int(right) + 1) % 1_000_000:06d}")
    page.get_by_role("button", name="ОК").click()
    refused(page)
    audit(page, "wrong code")
    page.get_by_label("Код подтверждения").fill(right)
    page.get_by_role("button", name="ОК").click()
    expect(page.get_by_text("Подтверждено")).to_be_visible()
    audit(page, "phone confirmed")
    shots(page, "phone-confirmed")
    audit.assert_clean()


def test_the_main_page_and_the_readings_pages_pass_axe(
    screen: BrowserContext, water_account: DemoAccount, shots: Screenshots
) -> None:
    page = screen.new_page()
    audit = Audit()
    register_by_email(screen, page, water_account, shots)
    audit(page, "main page")
    services = page.locator("section#services")
    services.get_by_role("checkbox", name=re.compile("на указанный номер смс")).check()
    services.get_by_label("Номер мобильного телефона").fill("12-34")
    services.get_by_role("button", name="Сохранить изменения").click()
    refused(page)
    audit(page, "services refused")
    page.goto("/home?saved=1")
    audit(page, "services saved")

    page.locator("nav.site-nav").get_by_role("link", name="Показания").click()
    audit(page, "no service chosen")
    page.get_by_role("link", name="Холодное водоснабжение").click()
    expect(page.locator("#lines-title")).to_contain_text("Холодное водоснабжение")
    audit(page, "water meters")
    field = water_line(page).get_by_label("Новое показание")
    field.fill("1234567")
    expect(water_line(page).locator(".readings-refused")).to_be_visible()
    audit(page, "reading refused as typed")
    shots(page, "reading-refused")
    field.fill(format(previous_value(page) + 3, "f").replace(".", ","))
    page.get_by_role("button", name="Передать показания").click()
    expect(water_line(page)).to_contain_text("ожидает расчёта")
    audit(page, "reading accepted, can be deleted")
    shots(page, "reading-accepted")
    water_line(page).get_by_role("button", name=re.compile("Удалить")).click()
    expect(page.get_by_role("status").first).to_be_visible()
    audit(page, "reading deleted")
    water_line(page).get_by_label("Новое показание").fill("12,34567")
    # As a browser without JavaScript sends it: the server refuses it, with its reasons.
    page.evaluate("() => document.getElementById('readings-form').submit()")
    expect(page.get_by_role("alert").first).to_contain_text("Показания не приняты")
    audit(page, "readings refused by the server")
    shots(page, "readings-refused-by-the-server")
    water_line(page).get_by_role("link", name=re.compile("История показаний")).click()
    audit(page, "reading history")
    page.goto("/readings/house")
    audit(page, "house meters")
    shots(page, "house-meters")
    audit.assert_clean()


def test_the_personal_data_pages_pass_axe(
    screen: BrowserContext,
    account: DemoAccount,
    unused_accounts: Iterator[DemoAccount],
    shots: Screenshots,
) -> None:
    other = next(unused_accounts)
    page = screen.new_page()
    audit = Audit()
    register_by_email(screen, page, account, shots)
    page.locator("nav.site-nav").get_by_role("link", name="Личные данные").click()
    audit(page, "personal data")
    panel = open_password_panel(page)
    audit(page, "change password unfolded")
    panel.get_by_role("button", name="Показать").first.click()
    audit(page, "password shown")
    panel.get_by_role("button", name="Сохранить", exact=True).click()
    refused(page)
    audit(page, "change password refused")
    page.goto("/personal")
    page.locator("form.link-form").get_by_role("button", name="Добавить лицевой счет").click()
    refused(page)
    audit(page, "link refused")
    link_account_by_surname(page, other)
    expect(page.get_by_role("status")).to_contain_text("Лицевой счёт привязан")
    audit(page, "account linked, switcher in the header")
    shots(page, "account-linked")
    page.goto("/home")
    switch_to(page, other.number)
    expect(page.locator(".home-account")).to_contain_text(other.number)
    audit(page, "main page of the linked account")
    page.goto("/personal")
    page.get_by_role("button", name=f"Отвязать лицевой счёт {other.number}").click()
    expect(page.get_by_role("status")).to_have_text("Лицевой счёт отвязан.")
    audit(page, "account unlinked")

    panel = open_password_panel(page)
    new_email = f"new.{account.email}"
    email_form = panel.locator("form[action='/personal/email']")
    email_form.get_by_label("Новый адрес").fill(new_email)
    email_form.get_by_label("Текущий пароль").fill(PASSWORD)
    email_form.get_by_role("button", name="Сменить адрес").click()
    heading(page, "Проверьте почту")
    audit(page, "new e-mail sent")
    page.goto(outbox_link(screen, new_email, "/personal/email/confirm/", shots))
    heading(page, "Адрес электронной почты изменён")
    audit(page, "e-mail changed")
    page.goto("/personal/email/confirm/no-such-token")
    audit(page, "e-mail link unknown")

    panel = open_password_panel(page)
    password_form = panel.locator("form[action='/personal/password']")
    password_form.get_by_label("Текущий пароль").fill(PASSWORD)
    password_form.get_by_label("Новый пароль", exact=True).fill(NEW_PASSWORD)
    password_form.get_by_label("Новый пароль ещё раз").fill(NEW_PASSWORD)
    password_form.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_role("status").filter(has_text="Пароль изменён")).to_be_visible()
    audit(page, "password changed")
    audit.assert_clean()


def test_the_payment_pages_pass_axe(
    screen: BrowserContext, account: DemoAccount, shots: Screenshots
) -> None:
    page = screen.new_page()
    audit = Audit()
    register_by_email(screen, page, account, shots)
    page.locator("section#pay").get_by_role("link", name="Оплатить").first.click()
    heading(page, "Оплатить онлайн")
    audit(page, "pay")
    page.get_by_label("Сумма, ₽").fill("")
    page.get_by_role("button", name="Перейти к оплате").click()
    refused(page)
    audit(page, "pay refused")
    page.get_by_label(CARD).check()
    page.get_by_label("Сумма, ₽").fill("100")
    page.get_by_role("button", name="Перейти к оплате").click()
    heading(page, "Демо-оплата картой")
    audit(page, "demo card checkout")
    page.get_by_role("button", name="Оплатить (демо)").click()
    heading(page, "Платёж получен")
    audit(page, "paid")

    page.goto("/pay")
    page.get_by_label(CARD).check()
    page.get_by_label("Сумма, ₽").fill("50")
    page.get_by_role("button", name="Перейти к оплате").click()
    page.get_by_role("button", name="Отказаться от оплаты").click()
    heading(page, "Платёж не прошёл")
    audit(page, "payment given up")

    page.goto("/pay")
    page.get_by_label("Система Город").check()
    page.get_by_role("button", name="Перейти к оплате").click()
    heading(page, "Демо: страница «Система Город»")
    audit(page, "demo payment service")
    page.goto("/home")
    page.locator("section#pay").get_by_role("link", name="ожидает подтверждения").click()
    heading(page, "Платёж ожидает подтверждения")
    audit(page, "payment pending")
    page.goto("/home")
    audit(page, "main page with payments")
    page.goto("/payments")
    audit(page, "payment history")
    shots(page, "payment-history")
    audit.assert_clean()


# --- What axe does not try: the keyboard ---


def test_the_skip_link_is_the_first_tab_stop_and_appears(page: Page) -> None:
    page.goto("/")
    page.locator("body").focus()

    page.keyboard.press("Tab")

    skip = page.get_by_role("link", name="Перейти к содержанию")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()


def test_focus_shows_on_the_front_page(page: Page, shots: Screenshots) -> None:
    page.goto("/")

    assert_focus_is_visible_at_every_tab_stop(page, until='form[action="/first-visit"] button')
    shots(page, "focus-on-continue")


def test_focus_shows_on_the_registration_pages(
    page: Page, account: DemoAccount, shots: Screenshots
) -> None:
    start_first_visit(page, account, shots)
    assert_focus_is_visible_at_every_tab_stop(
        page, until='form[action="/register"] button[type="submit"]'
    )

    fill_registration(page, account, method="sms", password=PASSWORD)
    expect(page).to_have_url(re.compile(r"/register/sms$"))
    assert_focus_is_visible_at_every_tab_stop(
        page, until='form[action="/register/sms/send"] button'
    )


def test_focus_shows_on_the_forgotten_password_form(page: Page, shots: Screenshots) -> None:
    page.goto("/password/forgot")
    shots(page, "forgot-form")

    assert_focus_is_visible_at_every_tab_stop(page, until='form[action="/password/forgot"] button')
