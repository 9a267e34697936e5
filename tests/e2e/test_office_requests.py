"""The dispatcher's queue in the browser (F30, F32): a resident files an emergency request
with a photo; a dispatcher signs in to the desk with the enrolment code and a TOTP code
(pyotp), finds it among the queue's emergencies, sees its photo, picks an executor from the
roster (the desk refuses no choice at all), accepts it and completes it with a comment; the
resident sees the status and the comment and rates the work, which the desk then shows.
axe-core finds no serious or critical WCAG 2.1 AA violation on the pages visited; the queue
and the request's page, with its choice of executor, fit a 360-px phone."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import pytest
from PIL import Image

from .accessibility import Audit
from .portal import PHONE, DemoAccount, Portal, Screenshots, expect, page_width, register_by_email
from .test_office import create_dispatcher, sign_in_to_the_desk

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.e2e

LEAK = "Под раковиной на кухне течёт труба, вода на полу"
DONE = "Заменили участок трубы, течи нет"
PLUMBER = "Слесарь-сантехник Кузнецов А. П."  # one of the demo company's crews


def a_jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1200, 900), (200, 60, 40)).save(out, format="JPEG", quality=85)
    return out.getvalue()


def test_a_dispatcher_works_an_emergency_request_and_the_resident_rates_it(
    browser: Browser, portal: Portal, account: DemoAccount, shots: Screenshots
) -> None:
    audit = Audit()
    home = browser.new_context(base_url=portal.base_url, locale="ru-RU")
    mine = home.new_page()
    register_by_email(home, mine, account, shots)
    mine.goto("/requests/new")
    mine.get_by_label("Категория").select_option(label="Сантехника")
    mine.get_by_label("Аварийная заявка").check()
    mine.get_by_label("Что случилось").fill(LEAK)
    mine.get_by_label("Фотографии").set_input_files(
        [{"name": "труба.jpg", "mimeType": "image/jpeg", "buffer": a_jpeg()}]
    )
    mine.get_by_label("Телефон для связи").fill("+7 912 345-67-89")
    mine.get_by_role("button", name="Отправить заявку").click()
    heading = mine.get_by_role("heading", name="Заявка №")
    expect(heading).to_be_visible()
    number = heading.inner_text().split("№", 1)[1].strip()
    assert number.isdigit(), f"the number is said in digits, not {number!r}"

    enrolment_code = create_dispatcher(portal, "e2e.queue")
    desk = browser.new_context(base_url=portal.base_url, locale="ru-RU",
                               viewport={"width": 1280, "height": 800})  # fmt: skip
    page = desk.new_page()
    sign_in_to_the_desk(page, "e2e.queue", enrolment_code, shots, audit)
    page.locator("header").get_by_role("link", name="Заявки").click()
    expect(page.get_by_role("heading", name="Заявки жителей")).to_be_visible()
    page.get_by_label("Аварийность").select_option(label="Только аварийные")
    page.get_by_role("button", name="Показать").click()
    # Other tests share the server: the queue may hold their emergencies, due earlier.
    link = page.get_by_role("link", name=f"№{number}", exact=True)
    row = page.locator("table.office-queue tbody tr").filter(has=link)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("аварийная")
    expect(row).to_contain_text("новая")
    audit(page, "queue")
    shots(page, "queue")
    page.set_viewport_size(PHONE)
    assert page_width(page) <= PHONE["width"], "the queue overflows a 360-px phone"
    shots(page, "queue-on-a-phone")
    page.set_viewport_size({"width": 1280, "height": 800})

    # The resident reads the number out on the phone; the dispatcher types it in.
    page.get_by_label("Номер заявки").fill("99999999")
    page.get_by_role("button", name="Открыть заявку").click()
    expect(page.get_by_role("alert")).to_have_text("Заявки №99999999 нет. Проверьте номер")
    expect(page.get_by_label("Номер заявки")).to_be_focused()
    audit(page, "no such number")
    shots(page, "no-such-number")
    page.get_by_label("Номер заявки").fill(f"№ {number}")
    page.get_by_role("button", name="Открыть заявку").click()
    expect(page.get_by_role("heading", name=f"Заявка №{number}", exact=True)).to_be_visible()
    expect(page.get_by_text(LEAK)).to_be_visible()
    thumbnail = page.get_by_role("img", name="Фотография 1 к заявке (открыть целиком)")
    expect(thumbnail).to_be_visible()
    loaded = "(img) => img.complete && img.naturalWidth > 0"  # a lazy image loads late
    page.wait_for_function(loaded, arg=thumbnail.element_handle())
    assert page.evaluate("(img) => img.naturalWidth", thumbnail.element_handle()) == 320
    audit(page, "request")
    executor = page.get_by_label("Кто выполнит работу")
    expect(executor.locator("optgroup")).to_have_count(2)
    expect(executor.locator('optgroup[label="Из справочника"] option')).to_contain_text(
        [PLUMBER, "ООО «Лифтсервис Тверь»"]
    )
    expect(executor.locator('optgroup[label="Сотрудники"] option')).not_to_have_count(0)
    page.set_viewport_size(PHONE)
    assert page_width(page) <= PHONE["width"], "the executor's choice overflows a 360-px phone"
    shots(page, "request-executor-on-a-phone")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_role("button", name="Назначить").click()  # nobody chosen yet
    expect(page.get_by_role("alert")).to_contain_text("Выберите исполнителя из списка")
    expect(executor).to_have_attribute("aria-invalid", "true")
    audit(page, "request with the executor refused")
    executor.select_option(label=PLUMBER)
    page.get_by_role("button", name="Назначить").click()
    expect(page.get_by_role("status")).to_contain_text("Исполнитель назначен")
    expect(executor).to_have_value(PLUMBER)
    page.get_by_label("Новый статус").select_option(label="принята")
    page.get_by_label("Комментарий жителю").fill("Слесарь выехал")
    page.get_by_role("button", name="Изменить статус").click()
    expect(page.get_by_role("status")).to_contain_text("Статус изменён")
    page.get_by_label("Новый статус").select_option(label="выполнена")
    page.get_by_label("Комментарий жителю").fill(DONE)
    page.get_by_role("button", name="Изменить статус").click()
    expect(page.locator(".request-status").first).to_have_text("выполнена")
    audit(page, "request done")
    shots(page, "request-done")
    page.set_viewport_size(PHONE)
    assert page_width(page) <= PHONE["width"], "the request's page overflows a 360-px phone"
    shots(page, "request-on-a-phone")

    mine.reload()
    expect(mine.locator(".request-status").first).to_have_text("выполнена")
    expect(mine.get_by_text(DONE)).to_be_visible()
    expect(mine.get_by_text(PLUMBER).first).to_be_visible()
    mine.get_by_label("5", exact=True).check()
    mine.get_by_label("Комментарий").fill("Быстро и аккуратно")
    mine.get_by_role("button", name="Оценить").click()
    expect(mine.get_by_role("status")).to_contain_text("Спасибо за оценку!")
    audit(mine, "rated")
    shots(mine, "rated")
    home.close()

    page.reload()
    expect(page.get_by_text("5 из 5: Быстро и аккуратно", exact=True)).to_be_visible()
    desk.close()
    audit.assert_clean()
