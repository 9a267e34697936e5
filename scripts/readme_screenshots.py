"""Refresh the README's screenshots from the browser tests' own.

The browser tests (`tests/e2e`) photograph every page they visit, full length, into
`tests/e2e/screenshots/` (git-ignored). This script copies the ones the README shows into
`docs/screenshots/`, cut to the height a reader needs (a phone's first screens, not the
whole 5,000-px page), so the pictures follow the pages instead of ageing:

    .venv/bin/pytest tests/e2e          # or `make check`, which runs them too
    .venv/bin/python scripts/readme_screenshots.py

A picture whose test did not run this time is left as it is, and said so.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
TAKEN = ROOT / "tests" / "e2e" / "screenshots"
SHOWN = ROOT / "docs" / "screenshots"

# docs/screenshots/<name> ← tests/e2e/screenshots/<test>--NN-<step>.png, cut to at most
# <height> px; the step's number NN is left out, as it moves when a test gains a step.
PICTURES: dict[str, tuple[str, int]] = {
    "front-page.png": (
        "settlements_show_services_the_total_and_an_earlier_period-desktop--front-page",
        800,
    ),
    "front-page-phone.png": (
        "the_front_page_fits_a_phone_and_its_buttons_are_big_enough--phone-front-page",
        1310,
    ),
    "registration-form.png": (
        "settlements_show_services_the_total_and_an_earlier_period-desktop--registration-form",
        1200,
    ),
    "main-page-phone.png": (
        "a_phone_shows_the_amount_pay_and_the_readings_on_the_first_screen--phone-first-screen",
        1400,
    ),
    "signed-in.png": (
        "settlements_show_services_the_total_and_an_earlier_period-desktop--home-newest-period",
        2400,
    ),
    "personal-data.png": (
        "the_tab_shows_the_payers_name_and_address-desktop--personal-data",
        1100,
    ),
    "payment-choice.png": (
        "a_resident_pays_by_card_and_sees_the_payment_in_the_settlements-desktop--choose",
        1320,
    ),
    "payment-paid-phone.png": (
        "a_resident_pays_by_card_and_sees_the_payment_in_the_settlements-phone--paid",
        1060,
    ),
    "readings-refused.png": (
        "a_resident_submits_sees_a_refusal_deletes_and_sees_it_calculated-desktop--refused-as-typed",
        1170,
    ),
    "readings-phone.png": (
        "a_resident_submits_sees_a_refusal_deletes_and_sees_it_calculated-phone--accepted",
        2250,
    ),
    "request-phone.png": (
        "a_resident_creates_an_emergency_request_with_a_photo_and_sees_it_listed-phone--request",
        1400,
    ),
    "office-queue.png": (
        "a_dispatcher_works_an_emergency_request_and_the_resident_rates_it--queue",
        800,
    ),
    "office-request.png": (
        "a_dispatcher_works_an_emergency_request_and_the_resident_rates_it--request-done",
        1400,
    ),
}


def refresh(taken: Path = TAKEN, shown: Path = SHOWN) -> tuple[list[str], list[str]]:
    """Copy and cut each picture whose source exists; return (refreshed, left as they were)."""
    refreshed: list[str] = []
    left: list[str] = []
    shown.mkdir(parents=True, exist_ok=True)
    for name, (source, height) in PICTURES.items():
        test, step = source.split("--")
        found = sorted(taken.glob(f"{test}--[0-9][0-9]-{step}.png"))
        if not found:
            left.append(name)
            continue
        path = found[-1]
        with Image.open(path) as image:
            cut = image.crop((0, 0, image.width, min(image.height, height)))
            cut.save(shown / name, optimize=True)
        refreshed.append(name)
    return refreshed, left


def main() -> int:
    refreshed, left = refresh()
    for name in refreshed:
        print(f"refreshed docs/screenshots/{name}")
    for name in left:
        print(f"left as it was: docs/screenshots/{name} (its browser test did not run)")
    return 0 if refreshed else 1


if __name__ == "__main__":
    sys.exit(main())
