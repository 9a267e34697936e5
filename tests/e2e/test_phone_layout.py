"""The front page and the registration form on a 360×740 phone: nothing wider than the
screen, and buttons big enough for a finger (WCAG 2.5.5 target size, 44 CSS px)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from .portal import PHONE, DemoAccount, Portal, Screenshots, expect, start_first_visit

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

pytestmark = pytest.mark.e2e

FINGER = 44


@pytest.fixture
def phone(browser: Browser, portal: Portal) -> Iterator[BrowserContext]:
    """A fresh context the size of a small Android phone, with touch."""
    ctx = browser.new_context(
        base_url=portal.base_url, locale="ru-RU", viewport=PHONE, is_mobile=True, has_touch=True
    )
    ctx.set_default_timeout(10_000)
    yield ctx
    ctx.close()


def assert_fits_the_screen(page: Page) -> None:
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways: {width} px wide"


def assert_can_be_pressed(page: Page, name: str) -> None:
    button = page.get_by_role("button", name=name, exact=True)
    button.scroll_into_view_if_needed()
    expect(button).to_be_in_viewport(ratio=1)
    box = button.bounding_box()
    assert box is not None
    assert box["height"] >= FINGER, f"«{name}» is {box['height']} px tall"
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= PHONE["width"], f"«{name}» sticks out of the screen"


def test_the_front_page_fits_a_phone_and_its_buttons_are_big_enough(
    phone: BrowserContext, shots: Screenshots
) -> None:
    page = phone.new_page()
    page.goto("/")
    shots(page, "phone-front-page")

    assert_fits_the_screen(page)
    assert_can_be_pressed(page, "Войти")
    assert_can_be_pressed(page, "Продолжить")


def test_the_registration_form_fits_a_phone_and_its_button_is_big_enough(
    phone: BrowserContext, account: DemoAccount, shots: Screenshots
) -> None:
    page = phone.new_page()
    start_first_visit(page, account, shots)

    assert_fits_the_screen(page)
    assert_can_be_pressed(page, "Сохранить")
