"""Builders the receipt tests share: a portal with a ledger, and reading a PDF back."""

from __future__ import annotations

import pypdfium2 as pdfium
import zxingcpp

from access_fixtures import IVANOV, PETROVA, SEMENOV, Portal, a_portal
from lk_adapters.demo import demo_company
from lk_core.accounts.account import ReceiptDelivery
from lk_core.accounts.contacts import Email
from lk_core.kernel.periods import BillingPeriod
from main_page_fixtures import EARLIER, NEWEST, OLDEST, load_ledger, three_periods_of_rows

COMPANY = demo_company()


def a_portal_with_ledger(*, email_for: tuple[str, ...] = (IVANOV,)) -> Portal:
    """Three accounts with three periods each, all periods open; `email_for` chose e-mail."""
    portal = a_portal()
    rows = [row for key in (IVANOV, SEMENOV, PETROVA) for row in three_periods_of_rows(key)]
    load_ledger(portal.uow_factory, rows)
    with portal.uow_factory() as uow:
        for period in (OLDEST, EARLIER, NEWEST):
            uow.periods.save(BillingPeriod(period))
        for key in email_for:
            account = uow.accounts.get(key)
            assert account is not None
            account.email = Email.parse(f"payer{key}@example.com")
            account.choose_delivery(ReceiptDelivery.EMAIL)
            uow.accounts.save(account)
        uow.commit()
    return portal


def pdf_text(pdf: bytes) -> str:
    """Every page's text, as a viewer extracts it."""
    document = pdfium.PdfDocument(pdf)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def decode_qr(pdf: bytes) -> list[str]:
    """The QR codes a decoder finds on the first page drawn at 150 dpi."""
    document = pdfium.PdfDocument(pdf)
    try:
        image = document[0].render(scale=150 / 72, grayscale=True).to_pil()
    finally:
        document.close()
    return [result.text for result in zxingcpp.read_barcodes(image)]


def is_whole_pdf(pdf: bytes) -> bool:
    """Starts as a PDF, ends with its trailer, and PDFium opens every page."""
    if not (pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")):
        return False
    try:
        document = pdfium.PdfDocument(pdf)
    except pdfium.PdfiumError:
        return False
    try:
        return len(document) >= 1
    finally:
        document.close()
