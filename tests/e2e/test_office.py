"""The staff's desk in the browser (F31, F32): a dispatcher made with `lk staff create`
types the one-time enrolment code it printed, then signs in with a TOTP code computed by
pyotp from the key the enrolment page shows (the QR code on screen, scanned, carries the
same key), is shown ten recovery codes once, and
posts a planned outage for one house (its SMS preview live as it is typed); a resident of
that house sees it on the main page, a resident of another house does not."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import subprocess
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pyotp
import pytest
import zxingcpp
from PIL import Image

from lk_adapters.billing_files import CsvSourceFile
from lk_core.billing_import.kinds import FileKind

from .accessibility import Audit
from .conftest import MOSCOW, lk_command
from .portal import (
    PHONE,
    DemoAccount,
    Portal,
    Screenshots,
    expect,
    page_width,
    register_by_email,
    sign_out,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.e2e

STAFF_PASSWORD = "смена диспетчера 42"
ENROLMENT_CODE = re.compile(r"Код подключения \(действует 24 часа[^)]*\): ([A-Z2-7-]+)")
TITLE = "Отключение холодной воды"


def houses_of(portal: Portal) -> dict[str, str]:
    """Account digits → house code, from the demo accounts file."""
    source = CsvSourceFile(
        portal.demo_folder / f"{FileKind.ACCOUNTS.value}.csv", kind=FileKind.ACCOUNTS
    )
    number, house = source.columns["account"], source.columns["house"]
    return {fields[number].strip(): fields[house].strip() for _line, fields in source.rows()}


def create_dispatcher(portal: Portal, login: str) -> str:
    """`lk staff create`; the enrolment code it printed."""
    folder = portal.demo_folder.parent
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("LK_")},
        "LK_DEMO": "1",
        "LK_DATABASE_URL": f"sqlite:///{folder / 'lk.sqlite3'}",
        "LK_BASE_URL": portal.base_url,
    }
    made = subprocess.run(
        [lk_command(), "staff", "create", login, "--name", "Иванова Мария",
         "--password-stdin", "--operator", "e2e"],
        input=STAFF_PASSWORD + "\n", env=env, capture_output=True, text=True, timeout=60,
        check=False,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    printed = ENROLMENT_CODE.search(made.stdout)
    assert printed is not None, made.stdout
    return printed[1]


@pytest.fixture
def two_houses(
    portal: Portal, unused_accounts: Iterator[DemoAccount]
) -> tuple[DemoAccount, DemoAccount, str]:
    """Two unregistered accounts of different houses, and the first one's house code."""
    houses = houses_of(portal)
    first = next(unused_accounts)
    second = next(a for a in unused_accounts if houses[a.number] != houses[first.number])
    return first, second, houses[first.number]


def sign_in_to_the_desk(
    page: Page, login: str, enrolment_code: str, shots: Screenshots, audit: Audit
) -> None:
    page.goto("/office")
    audit(page, "sign-in")
    page.get_by_label("Логин", exact=True).fill(login)
    page.get_by_label("Пароль", exact=True).fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Продолжить").click()
    expect(page.get_by_role("heading", name="Введите код подключения")).to_be_visible()
    expect(page.locator(".totp-qr svg")).to_have_count(0)
    page.get_by_label("Код подключения", exact=True).fill("AAAA-BBBB")
    page.get_by_role("button", name="Продолжить").click()
    expect(page.get_by_role("alert")).to_contain_text("Код подключения не подходит")
    audit(page, "enrolment code refused")
    page.get_by_label("Код подключения", exact=True).fill(enrolment_code.lower())
    page.get_by_role("button", name="Продолжить").click()
    expect(page.get_by_role("heading", name="Подключите приложение-аутентификатор")).to_be_visible()
    expect(page.locator(".totp-qr svg")).to_be_visible()
    shots(page, "enrol")
    audit(page, "enrolment")
    secret = page.locator(".totp-secret code").inner_text().strip()
    shown = page.locator(".totp-qr svg").screenshot(scale="device")
    (scanned,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(shown)).convert("L"))
    assert scanned.text.startswith("otpauth://totp/")
    assert f"secret={secret}" in scanned.text
    page.get_by_label("Код из приложения").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Войти").click()
    expect(page.get_by_role("heading", name="Приложение подключено")).to_be_visible()
    expect(page.get_by_role("list", name="Резервные коды").get_by_role("listitem")).to_have_count(
        10
    )
    shots(page, "recovery codes")
    audit(page, "recovery codes")
    page.get_by_role("link", name="перейти к рабочему месту").click()
    expect(page.get_by_role("heading", name="Здравствуйте, Иванова Мария")).to_be_visible()
    expect(page.locator("#recovery-left")).to_contain_text("10 из 10")
    shots(page, "desk")
    audit(page, "desk")


def test_a_dispatcher_posts_an_outage_that_only_its_houses_residents_see(
    browser: Browser, portal: Portal, two_houses: tuple[DemoAccount, DemoAccount, str],
    shots: Screenshots,
) -> None:  # fmt: skip
    resident, neighbour, house = two_houses
    for account in (resident, neighbour):
        context = browser.new_context(base_url=portal.base_url, locale="ru-RU")
        register_by_email(context, context.new_page(), account, shots)
        context.close()
    enrolment_code = create_dispatcher(portal, "e2e.dispatcher")

    desk = browser.new_context(base_url=portal.base_url, locale="ru-RU",
                               viewport={"width": 1280, "height": 800})  # fmt: skip
    page = desk.new_page()
    audit = Audit()
    sign_in_to_the_desk(page, "e2e.dispatcher", enrolment_code, shots, audit)
    page.get_by_role("link", name="Объявления").click()
    page.get_by_label("Заголовок").fill("")
    page.get_by_role("button", name="Опубликовать").click()
    expect(page.get_by_text("Введите заголовок")).to_be_visible()
    audit(page, "editor refused")
    page.get_by_label("Плановое отключение").check()
    page.get_by_label("Заголовок").fill(TITLE)
    page.get_by_label("Текст").fill("Ремонт водопровода с 10:00 до 16:00.")
    page.locator(f'input[name="houses"][value="{house}"]').check()
    today = dt.datetime.now(MOSCOW).strftime("%d.%m")
    expect(page.locator("#sms-text")).to_have_text(
        f"Плановое отключение {today}: {TITLE}. Ремонт водопровода с 10:00 до 16:00."
    )
    expect(page.locator("#sms-length")).to_contain_text("кириллица")
    shots(page, "editor")
    page.get_by_role("button", name="Опубликовать").click()
    expect(page.get_by_text("Объявление опубликовано.")).to_be_visible()
    audit(page, "posted")
    page.set_viewport_size(PHONE)
    assert page_width(page) <= PHONE["width"], "the editor overflows a 360-px phone"
    shots(page, "editor-on-a-phone")
    desk.close()

    for account, sees in ((resident, True), (neighbour, False)):
        context = browser.new_context(base_url=portal.base_url, locale="ru-RU")
        home = context.new_page()
        home.goto("/")
        form = home.locator("form[action='/sign-in']")
        form.get_by_label("Номер лицевого счёта").fill(account.number)
        form.get_by_label("Пароль", exact=True).fill("Липа-Ветер-2718")
        form.get_by_role("button", name="Войти").click()
        expect(home).to_have_url(f"{portal.base_url}/home")
        notice = home.locator(".home-announcements")
        if sees:
            expect(notice).to_contain_text(TITLE)
            expect(notice).to_contain_text("плановое отключение")
            shots(home, "resident-sees-it")
            audit(home, "main page with an announcement")
        else:
            expect(notice).to_have_count(0)
        sign_out(home)
        context.close()
    audit.assert_clean()


def test_a_dispatcher_corrects_then_withdraws_an_outage_and_the_main_page_follows(
    browser: Browser, portal: Portal, two_houses: tuple[DemoAccount, DemoAccount, str],
    shots: Screenshots,
) -> None:  # fmt: skip
    resident, _neighbour, house = two_houses
    typo, fixed = "Отключение халодной воды", "Отключение холодной воды в подъезде 2"
    resident_screen = browser.new_context(base_url=portal.base_url, locale="ru-RU",
                                          viewport=PHONE)  # fmt: skip
    home = resident_screen.new_page()
    register_by_email(resident_screen, home, resident, shots)
    enrolment_code = create_dispatcher(portal, "e2e.editor")
    desk = browser.new_context(base_url=portal.base_url, locale="ru-RU",
                               viewport={"width": 1280, "height": 800})  # fmt: skip
    page = desk.new_page()
    audit = Audit()
    sign_in_to_the_desk(page, "e2e.editor", enrolment_code, shots, audit)
    page.get_by_role("link", name="Объявления").click()
    page.get_by_label("Плановое отключение").check()
    page.get_by_label("Заголовок").fill(typo)
    page.get_by_label("Текст").fill("Ремонт стояка с 10:00 до 16:00.")
    page.locator(f'input[name="houses"][value="{house}"]').check()
    page.get_by_role("button", name="Опубликовать").click()
    expect(page.get_by_text("Объявление опубликовано.")).to_be_visible()
    home.goto("/home")
    expect(home.locator(".home-announcements")).to_contain_text(typo)

    # Correct it: the editor opens with what was posted and previews the SMS live.
    page.get_by_role("link", name=f"Исправить или снять: {typo}").click()
    page.wait_for_load_state("load")  # the live preview's script listens from then on
    expect(page.get_by_label("Заголовок")).to_have_value(typo)
    page.get_by_label("Заголовок").fill(fixed)
    today = dt.datetime.now(MOSCOW).strftime("%d.%m")
    expect(page.locator("#sms-text")).to_have_text(
        f"Плановое отключение {today}: {fixed}. Ремонт стояка с 10:00 до 16:00."
    )
    expect(page.locator("#sms-length")).to_contain_text("2 SMS")
    audit(page, "announcement editor")
    shots(page, "correcting")
    page.get_by_role("button", name="Сохранить изменения").click()
    expect(page.get_by_text("Изменения сохранены. Жителям ничего не отправлено.")).to_be_visible()
    expect(page.get_by_role("button", name="Разослать исправление")).to_be_visible()
    audit(page, "announcement corrected")
    home.reload()
    notice = home.locator(".home-announcements")
    expect(notice).to_contain_text(fixed)
    expect(notice).not_to_contain_text(typo)
    assert page_width(home) <= PHONE["width"], "the main page overflows a 360-px phone"
    shots(home, "resident-sees-the-correction")

    # Withdraw it on a phone: a reason is asked for first.
    page.set_viewport_size(PHONE)
    assert page_width(page) <= PHONE["width"], "the announcement page overflows a 360-px phone"
    page.get_by_role("button", name="Снять объявление").click()
    expect(page.get_by_text("Укажите причину снятия")).to_be_visible()
    page.get_by_label("Причина снятия").fill("Работы перенесли на следующую неделю")
    page.get_by_role("button", name="Снять объявление").click()
    expect(page.get_by_text("Объявление снято: жители его больше не видят.")).to_be_visible()
    expect(page.get_by_role("heading", name="Сняты")).to_be_visible()
    assert page_width(page) <= PHONE["width"], "the list overflows a 360-px phone"
    shots(page, "withdrawn-on-a-phone")
    audit(page, "announcement withdrawn")
    desk.close()
    home.reload()
    expect(home).to_have_url(f"{portal.base_url}/home")
    expect(home.get_by_text(fixed)).to_have_count(0)
    shots(home, "resident-no-longer-sees-it")
    resident_screen.close()
    audit.assert_clean()
