"""«Заявки» in the browser (F30): a resident creates an emergency request with a photo and
sees it in the list and on its page, thumbnail shown; a file that is not a photo is
refused beside its field; on a 1280-px desktop and a 360-px phone, with axe-core finding
no serious or critical WCAG 2.1 AA violation on the pages visited."""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING

import pytest
from PIL import Image

from .accessibility import Audit
from .portal import (
    DemoAccount,
    Screenshots,
    assert_within_the_window,
    expect,
    page_width,
    register_by_email,
)

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext

pytestmark = pytest.mark.e2e


def a_jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1200, 900), (40, 110, 200)).save(out, format="JPEG", quality=85)
    return out.getvalue()


def test_a_resident_creates_an_emergency_request_with_a_photo_and_sees_it_listed(
    screen: BrowserContext, account: DemoAccount, shots: Screenshots
) -> None:
    audit = Audit()
    page = screen.new_page()
    register_by_email(screen, page, account, shots)

    page.get_by_role("link", name="Заявки", exact=True).click()
    expect(page.get_by_role("heading", name="Заявки", exact=True)).to_be_visible()
    expect(page.get_by_text("Заявок пока нет")).to_be_visible()
    audit(page, "empty list")
    page.get_by_role("link", name="Новая заявка").click()
    expect(page.get_by_role("heading", name="Новая заявка")).to_be_visible()
    audit(page, "form")
    shots(page, "form")

    page.get_by_label("Категория").select_option(label="Сантехника")
    page.get_by_label("Аварийная заявка").check()
    page.get_by_label("Что случилось").fill("В ванной течёт стояк горячей воды")
    page.get_by_label("Фотографии").set_input_files(
        [{"name": "не-фото.jpg", "mimeType": "image/jpeg", "buffer": b"%PDF-1.4 not a photo"}]
    )
    page.get_by_label("Телефон для связи").fill("+7 912 345-67-89")
    page.get_by_role("button", name="Отправить заявку").click()
    expect(page.locator("#photos-error")).to_contain_text("«не-фото.jpg»: это не фотография")
    expect(page.get_by_label("Что случилось")).to_have_value("В ванной течёт стояк горячей воды")
    audit(page, "photo refused")
    shots(page, "photo-refused")

    page.get_by_label("Фотографии").set_input_files(
        [{"name": "стояк.jpg", "mimeType": "image/jpeg", "buffer": a_jpeg()}]
    )
    page.get_by_role("button", name="Отправить заявку").click()

    expect(page.get_by_role("heading", name="Заявка №")).to_have_text(re.compile(r"^Заявка №\d+$"))
    expect(page.get_by_role("status")).to_contain_text("Заявка принята")
    expect(page.get_by_text("аварийная").first).to_be_visible()
    thumbnail = page.get_by_role("img", name="Фотография 1 к заявке")
    expect(thumbnail).to_be_visible()
    assert page.evaluate("(img) => img.naturalWidth", thumbnail.element_handle()) == 320
    assert_within_the_window(page, thumbnail)
    audit(page, "request")
    shots(page, "request")

    page.get_by_role("link", name="← Все заявки").click()
    item = page.locator(".request-item").first
    expect(item).to_contain_text("Сантехника")
    expect(item).to_contain_text("аварийная")
    expect(item).to_contain_text("новая")
    assert_within_the_window(page, item)
    assert page_width(page) <= (page.viewport_size or {"width": 1280})["width"]
    audit(page, "list")
    shots(page, "list")
    audit.assert_clean()
