"""The receipt PDF (F11): the sections of the form, Cyrillic text, a QR code that decodes."""

from __future__ import annotations

import attrs

from access_fixtures import IVANOV
from lk_adapters.receipts import PdfReceiptRenderer
from lk_core.receipts.document import receipt_document
from lk_core.receipts.payment_qr import decode_payload
from lk_core.receipts.receipt import ReceiptDocument
from main_page_fixtures import NEWEST
from receipt_fixtures import COMPANY, a_portal_with_ledger, decode_qr, is_whole_pdf, pdf_text


def a_document() -> ReceiptDocument:
    portal = a_portal_with_ledger()
    with portal.uow_factory(read_only=True) as uow:
        document = receipt_document(uow, COMPANY, IVANOV, NEWEST)
    assert document is not None
    return document


def test_a_decoder_reads_the_qr_code_on_the_page_back_to_account_period_and_sum() -> None:
    document = a_document()

    pdf = PdfReceiptRenderer().render(document)

    codes = decode_qr(pdf)
    assert codes == [document.qr_payload]
    fields = dict(decode_payload(codes[0]))
    assert fields["PersAcc"] == "100234-А"
    assert fields["PaymPeriod"] == "10.2026"
    assert fields["Sum"] == str(document.to_pay.kopecks)
    # The newest period's closing balances: maintenance, cold water, electricity.
    assert document.to_pay.kopecks == 157_758 + 41_039 + 53_813


def test_the_page_shows_every_section_of_the_form_in_cyrillic() -> None:
    pdf = PdfReceiptRenderer().render(a_document())

    text = pdf_text(pdf)
    for expected in (
        "ЕДИНЫЙ ПЛАТЁЖНЫЙ ДОКУМЕНТ", "за октябрь 2026", "1. Плательщик и исполнитель услуг",
        "Иванов", "2. Платёжные реквизиты", "Лицевой счёт", "100234-А", "Сумма к оплате",
        "Показания индивидуальных приборов учёта", "3. Расчёт размера платы",
        "Холодное водоснабжение", "9,455", "Итого к оплате",
        "4. Справочная информация", "6. Перерасчёты и их основания",
        "Перерасчёт по показаниям за сентябрь", "Долг на начало периода", "Страница 1 из 1",
    ):  # fmt: skip
        assert expected in text, expected


def test_the_file_is_one_whole_a4_pdf_with_the_font_embedded() -> None:
    pdf = PdfReceiptRenderer().render(a_document())

    assert is_whole_pdf(pdf)
    assert b"/FontFile2" in pdf
    assert b"/MediaBox [0 0 595.28 841.89]" in pdf
    assert pdf.count(b"/Type /Page ") == 1


def test_a_receipt_with_more_lines_than_a_page_holds_goes_on_to_a_second_page() -> None:
    document = a_document()
    many = tuple(attrs.evolve(document.lines[0], service=f"Услуга №{n}") for n in range(60))

    pdf = PdfReceiptRenderer().render(attrs.evolve(document, lines=many))

    text = pdf_text(pdf)
    assert pdf.count(b"/Type /Page ") == 2
    assert "Страница 1 из 2" in text
    assert "Страница 2 из 2" in text
    assert "Услуга №59" in text
    assert decode_qr(pdf) == [document.qr_payload]
