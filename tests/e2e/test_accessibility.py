"""Every form field has a visible label, and keyboard focus can always be seen."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from .portal import (
    PASSWORD,
    DemoAccount,
    Screenshots,
    expect,
    fill_registration,
    start_first_visit,
)

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.e2e

# For each field a resident can fill: how it is labelled, and what is wrong with that.
UNLABELLED_FIELDS = """() => {
  const problems = [];
  const shown = (el) => !!el && el.getClientRects().length > 0
    && getComputedStyle(el).visibility !== "hidden";
  for (const input of document.querySelectorAll("input, select, textarea")) {
    if (input.type === "hidden") continue;
    const name = input.id || input.name;
    const labels = [...input.labels].filter((l) => shown(l) && l.textContent.trim());
    if (labels.length === 0) problems.push(`${name}: no visible label`);
    const textLike = ["text", "email", "password", "tel", "number", "search", "url"];
    if (textLike.includes(input.type)) {
      const own = input.id && document.querySelector(`label[for="${CSS.escape(input.id)}"]`);
      if (!shown(own)) problems.push(`${name}: no visible label[for]`);
    }
  }
  return problems;
}"""

FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {
    what: `${el.tagName.toLowerCase()}#${el.id || el.name || el.textContent.trim().slice(0, 20)}`,
    outlineStyle: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth),
    left: el.getBoundingClientRect().left,
  };
}"""


def assert_fields_are_labelled(page: Page) -> None:
    assert page.evaluate(UNLABELLED_FIELDS) == [], page.url


def assert_focus_is_visible_at_every_tab_stop(page: Page, until: str) -> None:
    """Tab from the top of the page to the element matching `until`, checking each stop."""
    page.locator("body").focus()
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        assert focused["outlineStyle"] != "none", f"no focus outline on {focused['what']}"
        assert focused["outlineWidth"] >= 2, f"thin focus outline on {focused['what']}"
        assert focused["left"] >= 0, f"{focused['what']} is focused off screen"
        if page.evaluate("(css) => document.activeElement.matches(css)", until):
            return
    pytest.fail(f"Tab never reached {until} on {page.url}")


def test_the_front_page_fields_are_labelled_and_focus_shows(page: Page, shots: Screenshots) -> None:
    page.goto("/")

    assert_fields_are_labelled(page)
    assert_focus_is_visible_at_every_tab_stop(page, until='form[action="/first-visit"] button')
    shots(page, "focus-on-continue")


def test_the_skip_link_is_the_first_tab_stop_and_appears(page: Page) -> None:
    page.goto("/")
    page.locator("body").focus()

    page.keyboard.press("Tab")

    skip = page.get_by_role("link", name="Перейти к содержанию")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()


def test_the_registration_pages_fields_are_labelled_and_focus_shows(
    page: Page, account: DemoAccount, shots: Screenshots
) -> None:
    start_first_visit(page, account, shots)
    assert_fields_are_labelled(page)
    assert_focus_is_visible_at_every_tab_stop(
        page, until='form[action="/register"] button[type="submit"]'
    )

    fill_registration(page, account, method="sms", password=PASSWORD)
    expect(page).to_have_url(re.compile(r"/register/sms$"))
    assert_fields_are_labelled(page)
    assert_focus_is_visible_at_every_tab_stop(
        page, until='form[action="/register/sms/send"] button'
    )


def test_the_forgotten_password_form_is_labelled_and_focus_shows(
    page: Page, shots: Screenshots
) -> None:
    page.goto("/password/forgot")
    shots(page, "forgot-form")

    assert_fields_are_labelled(page)
    assert_focus_is_visible_at_every_tab_stop(page, until='form[action="/password/forgot"] button')
