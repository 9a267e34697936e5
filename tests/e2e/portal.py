"""What the browser tests do on the portal, in a resident's steps, and where they keep pictures."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

try:
    from playwright.sync_api import expect
except ImportError:  # `chromium_can_run` (conftest) skips, or fails on CI, and says why
    expect = None  # type: ignore[assignment]

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Locator, Page

CHROMIUM = Path("/usr/bin/chromium")
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}
SCREENS = {"desktop": DESKTOP, "phone": PHONE}
SCREENSHOTS = Path(__file__).parent / "screenshots"

PASSWORD = "Липа-Ветер-2718"
NEW_PASSWORD = "Клён-Рассвет-3141"
WRONG_PASSWORD = "Осина-Дождь-1618"


@dataclass(frozen=True)
class Portal:
    """The running `lk serve`: its address, the demo files it was loaded from, its log."""

    base_url: str
    demo_folder: Path
    log: Path


@dataclass(frozen=True)
class DemoAccount:
    """A demo account as the billing files print it, and its payer's surname."""

    number: str
    surname: str

    @property
    def digits(self) -> str:
        return re.sub(r"\D", "", self.number)

    @property
    def email(self) -> str:
        """An address of this account's own, so its messages are easy to find."""
        return f"resident{self.digits}@example.ru"

    @property
    def phone(self) -> str:
        """A mobile number of this account's own, as a resident would type it."""
        seven = f"{int(self.digits):07d}"
        return f"+7 912 {seven[:3]}-{seven[3:5]}-{seven[5:]}"


@dataclass
class Screenshots:
    """Full-page screenshots of one test, numbered in the order the pages were seen."""

    folder: Path
    test: str
    taken: int = field(default=0)

    def __call__(self, page: Page, step: str) -> Path:
        self.taken += 1
        path = self.folder / f"{self.test}--{self.taken:02d}-{step}.png"
        page.screenshot(path=path, full_page=True)
        return path


# --- The demo outbox (F29): what would have been e-mailed or texted ---


def outbox_message(
    context: BrowserContext, recipient: str, shots: Screenshots, *, link_to: str = ""
) -> Locator:
    """The newest message to `recipient` (with a link to `link_to`, if given), on
    /demo/outbox opened in another page of the same browser; close its page when done."""
    outbox = context.new_page()
    outbox.goto("/demo/outbox")
    message = outbox.locator("article.message").filter(has_text=recipient)
    if link_to:
        message = message.filter(has=outbox.locator(f'a[href*="{link_to}"]'))
    expect(message.first).to_be_visible()
    shots(outbox, "demo-outbox")
    return message.first


def outbox_link(context: BrowserContext, recipient: str, path: str, shots: Screenshots) -> str:
    """The link under `path` in the newest message to `recipient` that has one."""
    message = outbox_message(context, recipient, shots, link_to=path)
    try:
        link = message.locator(f'a[href*="{path}"]').first
        expect(link).to_be_visible()
        return str(link.get_attribute("href"))
    finally:
        message.page.close()


def sms_code_in_outbox(context: BrowserContext, phone: str, shots: Screenshots) -> str:
    """The 6-digit code of the newest SMS to `phone` (shown as +7XXXXXXXXXX)."""
    e164 = "+" + re.sub(r"\D", "", phone)
    message = outbox_message(context, e164, shots)
    try:
        found = re.search(r"Код подтверждения: (\d{6})", message.inner_text())
    finally:
        message.page.close()
    assert found, f"no code for {e164} in the demo outbox"
    return found[1]


# --- Steps of a resident ---


def sign_in_form(page: Page) -> Locator:
    return page.locator("section", has=page.locator("#sign-in-title"))


def start_first_visit(page: Page, account: DemoAccount, shots: Screenshots) -> None:
    """Front page → «Первый вход» with number and surname → the registration form."""
    page.goto("/")
    shots(page, "front-page")
    first_visit = page.locator("section", has=page.locator("#first-title"))
    first_visit.get_by_label("Номер лицевого счёта").fill(account.number)
    first_visit.get_by_label("Фамилия").fill(account.surname)
    first_visit.get_by_role("button", name="Продолжить").click()
    expect(page).to_have_url(re.compile(r"/register$"))
    expect(page.get_by_role("heading", name="Регистрация")).to_be_visible()
    shots(page, "registration-form")


def fill_registration(page: Page, account: DemoAccount, *, method: str, password: str) -> None:
    """The registration form (F3), sent with «Сохранить»."""
    page.get_by_label("Фамилия, на которую зарегистрирован счёт").fill(account.surname)
    page.get_by_label("Адрес электронной почты").fill(account.email)
    page.get_by_label("Новый пароль").fill(password)
    page.get_by_label("Пароль ещё раз").fill(password)
    page.get_by_label("По смс" if method == "sms" else "По электронной почте").check()
    page.get_by_label("Даю согласие на обработку").check()
    page.get_by_role("button", name="Сохранить").click()


def expect_signed_in(page: Page, account: DemoAccount) -> None:
    """The main page, the account number and «Выход» in the header."""
    expect(page).to_have_url(re.compile(r"/home$"))
    header = page.locator("header.site-header")
    expect(header).to_contain_text(account.number)
    expect(header.get_by_role("button", name="Выход")).to_be_visible()


def register_by_email(
    context: BrowserContext, page: Page, account: DemoAccount, shots: Screenshots, *,
    password: str = PASSWORD,
) -> None:  # fmt: skip
    """First visit, the form, the link from the demo outbox: signed in on /home."""
    start_first_visit(page, account, shots)
    fill_registration(page, account, method="email", password=password)
    expect(page.get_by_role("heading", name="Проверьте почту")).to_be_visible()
    shots(page, "check-your-mail")
    page.goto(outbox_link(context, account.email, "/register/confirm/", shots))
    expect_signed_in(page, account)
    shots(page, "signed-in")


def sign_in(page: Page, number: str, password: str) -> None:
    """The «Вход» form of the front page."""
    page.goto("/")
    form = sign_in_form(page)
    form.get_by_label("Номер лицевого счёта").fill(number)
    form.get_by_label("Пароль", exact=True).fill(password)
    form.get_by_role("button", name="Войти").click()


def sign_out(page: Page) -> None:
    """«Выход» in the header; back on the front page."""
    page.locator("header.site-header").get_by_role("button", name="Выход").click()
    expect(page.get_by_text("Вы вышли из личного кабинета.")).to_be_visible()


# --- Screens, the header's account switcher, the «Личные данные» tab ---


def new_screen(browser: Browser, base_url: str, viewport: dict[str, int]) -> BrowserContext:
    """A fresh Russian browser context of the given size; a phone one has touch."""
    phone = viewport["width"] < DESKTOP["width"]
    ctx = browser.new_context(
        base_url=base_url, locale="ru-RU", viewport=viewport,  # type: ignore[arg-type]
        is_mobile=phone, has_touch=phone,
    )  # fmt: skip
    ctx.set_default_timeout(10_000)
    return ctx


def page_width(page: Page) -> int:
    """How wide the page scrolls, in CSS px: more than the window means sideways scrolling."""
    return int(page.evaluate("document.scrollingElement.scrollWidth"))


def assert_within_the_window(page: Page, locator: Locator) -> None:
    """Wholly visible from left to right in the window (after scrolling to it)."""
    locator.scroll_into_view_if_needed()
    expect(locator).to_be_visible()
    box = locator.bounding_box()
    assert box is not None
    width = page.viewport_size["width"] if page.viewport_size else DESKTOP["width"]
    assert box["x"] >= 0, f"{locator} starts left of the window: {box}"
    assert box["x"] + box["width"] <= width, f"{locator} sticks out of the window: {box}"


def account_switcher(page: Page) -> Locator:
    """The «Лицевой счёт» select of the header (only when more than one account is linked)."""
    return page.locator("header.site-header").get_by_label("Лицевой счёт")


def switch_to(page: Page, number: str) -> None:
    """Choose the account printed `number` in the header switcher: it applies at once
    (the page's script), or with «Перейти» where scripts do not run."""
    select = account_switcher(page)
    option = select.locator("option").filter(has_text=number).first
    go = page.locator("header.site-header").get_by_role("button", name="Перейти")
    if go.is_visible():
        select.select_option(value=option.get_attribute("value"))
        go.click()
        return
    with page.expect_navigation():
        select.select_option(value=option.get_attribute("value"))


def open_password_panel(page: Page) -> Locator:
    """/personal with «Изменить пароль» unfolded; its section."""
    page.goto("/personal")
    panel = page.locator("details.change-password")
    if panel.get_attribute("open") is None:
        panel.locator("summary").click()
    expect(panel.get_by_role("button", name="Сохранить", exact=True)).to_be_visible()
    return panel


def link_account_by_surname(page: Page, other: DemoAccount) -> None:
    """«Привязать другой лицевой счёт» on /personal with the number and the surname."""
    page.goto("/personal")
    form = page.locator("form.link-form")
    form.get_by_label("Номер лицевого счёта").fill(other.number)
    form.get_by_label("Фамилия").fill(other.surname)
    form.get_by_role("button", name="Добавить лицевой счет").click()


# --- «Передать показания» ---


def water_line(page: Page) -> Locator:
    """The first meter line of the readings form (an account with one cold-water meter)."""
    return page.locator("table.readings-table tbody tr").first


def previous_value(page: Page) -> Decimal:
    text = water_line(page).locator("td").first.locator(".home-cell-value").inner_text()
    return Decimal(text.split()[0].replace(",", "."))


HEADER = """() => {
  const box = (el) => { const r = el.getBoundingClientRect(); return [r.top, r.bottom]; };
  const name = document.querySelector(".site-header .brand-name");
  return {
    brand: box(document.querySelector(".site-header .brand")),
    who: box(document.querySelector(".site-header .who")),
    nav: box(document.querySelector(".site-nav")),
    sections: [...document.querySelectorAll(".site-nav a")].map(box),
    sectionLines: [...document.querySelectorAll(".site-nav a")].map((a) => {
      const words = document.createRange();
      words.selectNodeContents(a);
      return new Set([...words.getClientRects()].map((r) => Math.round(r.top))).size;
    }),
    name: [name.textContent, name.closest("[title]")?.title],
  };
}"""


def assert_the_header_takes_two_lines(page: Page) -> None:
    """Issue 21 §3: the company, the account and «Выход» on one line, the sections on
    another; the company's name, if it ends in «…», is whole in its link's title."""
    found = page.evaluate(HEADER)
    (brand_top, brand_bottom), (who_top, who_bottom) = found["brand"], found["who"]
    assert who_top < brand_bottom, f"two lines above: {found}"
    assert brand_top < who_bottom, f"two lines above: {found}"
    assert found["nav"][0] >= max(brand_bottom, who_bottom) - 1, found
    section_tops = {round(top) for top, _bottom in found["sections"]}
    assert len(section_tops) == 1, f"the sections take {len(section_tops)} lines: {found}"
    assert set(found["sectionLines"]) == {1}, f"a section's name breaks: {found}"
    text, title = found["name"]
    assert title == text.strip(), found
    expect(page.get_by_role("button", name="Выход")).to_be_in_viewport(ratio=1)
