"""Receipts in the browser (F11, F27): the last three closed months open as PDFs in a new
tab, only for the signed-in resident, and the main page's QR code pays the amount due."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import pytest
import zxingcpp
from PIL import Image

from lk_core.receipts.payment_qr import decode_payload
from receipt_fixtures import decode_qr, is_whole_pdf

from .portal import DESKTOP, DemoAccount, Portal, Screenshots, expect, new_screen, register_by_email

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.e2e


def test_a_resident_opens_the_last_three_receipts_and_pays_by_the_qr_code(
    browser: Browser, portal: Portal, account: DemoAccount, shots: Screenshots
) -> None:
    screen = new_screen(browser, portal.base_url, DESKTOP)
    page = screen.new_page()
    register_by_email(screen, page, account, shots)

    section = page.locator("section.home-receipts")
    expect(section.get_by_role("heading", name="Квитанции")).to_be_visible()
    links = section.locator("ul.receipt-links a")
    expect(links).to_have_count(3)
    shots(page, "receipts")
    hrefs = links.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert all(a == "_blank" for a in links.evaluate_all("ls => ls.map(a => a.target)"))
    assert hrefs == sorted(hrefs, reverse=True), "newest month first"
    for href in hrefs:
        response = page.request.get(href)
        assert response.status == 200
        headers = response.headers
        assert headers["content-type"] == "application/pdf"
        assert headers["content-disposition"].startswith('inline; filename="')
        assert f"{account.number}_{href.rsplit('/', 1)[1]}.pdf" in headers["content-disposition"]
        assert "private" in headers["cache-control"]
        pdf = response.body()
        assert is_whole_pdf(pdf)
        fields = dict(decode_payload(decode_qr(pdf)[0]))
        assert fields["PersAcc"] == account.number
        month, year = fields["PaymPeriod"].split(".")
        assert href.endswith(f"{year}-{month}")

    with page.expect_popup() as popup:
        links.first.click()
    assert popup.value.url.endswith(hrefs[0])

    qr = section.locator(".receipt-qr svg")
    picture = Image.open(io.BytesIO(qr.screenshot(scale="device"))).convert("L")
    shots(page, "receipt-qr")
    (code,) = zxingcpp.read_barcodes(picture)
    fields = dict(decode_payload(code.text))
    assert fields["PersAcc"] == account.number
    expect(section.locator(".payee")).to_contain_text(fields["PayeeINN"])
    screen.close()


def test_a_receipt_is_not_opened_without_signing_in_nor_for_a_month_not_listed(
    browser: Browser, portal: Portal, account: DemoAccount, shots: Screenshots
) -> None:
    screen = new_screen(browser, portal.base_url, DESKTOP)
    page = screen.new_page()
    register_by_email(screen, page, account, shots)
    href = page.locator("ul.receipt-links a").first.get_attribute("href")
    assert href is not None

    assert page.request.get("/receipts/2001-01").status == 404
    assert page.request.get("/receipts/not-a-month").status == 404
    stranger = new_screen(browser, portal.base_url, DESKTOP)
    response = stranger.request.get(href, max_redirects=0)
    assert response.status in (302, 303)
    assert b"%PDF" not in response.body()
    stranger.close()
    screen.close()
