"""Accessibility checks of a page: axe-core's WCAG 2.1 A and AA rules, and by hand the two
things axe cannot judge (that a field's label is visible, that keyboard focus shows)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Page

# axe-core as published on npm, vendored with its licence (see its README.md there).
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("serious", "critical")

# Each offending element of each rule axe finds broken, with that element's own impact.
AXE_RUN = """async (tags) => {
  const results = await axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
  });
  return results.violations.flatMap((rule) => rule.nodes.map((node) => ({
    rule: rule.id,
    impact: node.impact || rule.impact || "",
    help: rule.help,
    target: node.target.join(" "),
  })));
}"""

# axe's `label` rule is content with any accessible name: `aria-label`, `title`, or a label
# hidden off screen. WCAG 3.3.2 (and 2.5.3 for voice users) asks for a label one can see, so
# this stays by hand: every field a resident can fill has a visible label with text.
FIELDS_WITHOUT_A_VISIBLE_LABEL = """() => {
  const shown = (el) => el.getClientRects().length > 0
    && getComputedStyle(el).visibility !== "hidden"
    && el.getBoundingClientRect().width > 1 && el.getBoundingClientRect().height > 1;
  return [...document.querySelectorAll("input:not([type=hidden]), select, textarea")]
    .filter((input) => shown(input))
    .filter((input) => ![...input.labels].some((l) => shown(l) && l.textContent.trim()))
    .map((input) => input.id ? `#${input.id}` : input.outerHTML.slice(0, 120));
}"""

# axe has no rule for WCAG 2.4.7 (focus visible): it never presses Tab. So by hand.
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


@cache
def axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


@dataclass(frozen=True)
class Violation:
    """One element that breaks one rule on one page."""

    where: str
    rule: str
    impact: str
    help: str
    target: str

    def __str__(self) -> str:
        return f"{self.where}: {self.rule} ({self.impact}) at `{self.target}`: {self.help}"


def axe_violations(page: Page) -> list[dict[str, str]]:
    """What axe finds on the page as it is now. Evaluated through the DevTools protocol,
    so the portal's Content-Security-Policy (`script-src 'self'`) stays as it is served."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    found: list[dict[str, str]] = page.evaluate(AXE_RUN, WCAG_21_AA)
    return found


@dataclass
class Audit:
    """Every page state shown to it, checked; the serious and critical findings of all of
    them reported at the end, so one run lists everything to mend."""

    seen: list[str] = field(default_factory=list)
    found: list[Violation] = field(default_factory=list)

    def __call__(self, page: Page, state: str = "") -> None:
        url = urlsplit(page.url)
        where = url.path + (f"?{url.query}" if url.query else "") + (f" [{state}]" if state else "")
        self.seen.append(where)
        self.found.extend(
            Violation(where, **row) for row in axe_violations(page) if row["impact"] in BLOCKING
        )
        self.found.extend(
            Violation(where, "visible-label (by hand)", "serious", "no visible label", target)
            for target in page.evaluate(FIELDS_WITHOUT_A_VISIBLE_LABEL)
        )

    def assert_clean(self) -> None:
        assert self.seen, "no page was checked"
        listed = "\n".join(f"- {v}" for v in self.found)
        assert not self.found, (
            f"{len(self.found)} serious or critical WCAG 2.1 AA violation(s) "
            f"in {len(self.seen)} page states:\n{listed}"
        )


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
