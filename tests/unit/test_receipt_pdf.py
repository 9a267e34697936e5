"""The receipt PDF (F11): the sections of the form, Cyrillic text, a QR code that decodes."""

from __future__ import annotations

from decimal import Decimal

import attrs

from access_fixtures import IVANOV
from lk_adapters.receipts import PdfReceiptRenderer
from lk_core.receipts.document import receipt_document
from lk_core.receipts.payment_qr import decode_payload
from lk_core.receipts.receipt import MeterLine, ReceiptDocument
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


def squeezed(text: str) -> str:
    """The text without its spaces and line breaks, so that a value wrapped onto several
    lines reads back whole (PDFium reads a hyphen that ends a line as U+FFFE)."""
    return "".join(text.replace("\ufffe", "-").split())


def test_every_requisite_is_printed_whole_however_long_its_row_growing_to_hold_it() -> None:
    document = a_document()
    street = (
        "Тверская область, муниципальный округ Калининский, посёлок городского типа "
        "Васильевский Мох, микрорайон Торфопредприятие Тверское, улица Имени Героя "
        "Советского Союза Александра Матвеевича Матросова, д. 127, корп. 3, стр. 2"
    )
    company = attrs.evolve(
        document.company,
        name=(
            "Общество с ограниченной ответственностью «Управляющая компания Тверской дом и "
            "жилищно-коммунальное обслуживание многоквартирных жилых домов Калининского округа»"
        ),
        address=(
            "170100, Тверская область, город Тверь, Центральный район, улица Вольного "
            "Новгорода, дом 8, офис 14, вход со двора через арку, третий этаж, "
            "приёмная управляющей компании по жилищно-коммунальным вопросам жителей"
        ),
        bank_name="Тверское отделение № 8607 ПАО Сбербанк России",
        website="https://upravlyayushchaya-kompaniya-tverskoy-dom.example.com/kabinet-zhitelya",
    )
    account = attrs.evolve(
        document.account,
        payer_name=(
            "Константинопольская-Христорождественская Александра-Мария Вольдемаровна "
            "и Константинопольский-Христорождественский Иоанн-Александр Вольдемарович"
        ),
    )
    house = attrs.evolve(document.house, address=street)
    service = (
        "Холодное водоснабжение при содержании общего имущества в многоквартирном доме "
        "(объём сверх норматива потребления, распределённый пропорционально площади)"
    )
    long_lines = (attrs.evolve(document.lines[0], service=service), *document.lines[1:])
    long = attrs.evolve(document, company=company, account=account, house=house, lines=long_lines)
    assert len(street) >= 200
    assert len(company.address) >= 200
    assert len(company.name) == 160  # the longest name the payee may have (GOST R 56042)
    assert len(company.bank_name) == 45

    pdf = PdfReceiptRenderer().render(long)

    text = squeezed(pdf_text(pdf))
    for requisite in (
        company.name, company.address, company.bank_name, account.payer_name,
        long.address, service, f"{company.email}, {company.website}",
    ):  # fmt: skip
        assert squeezed(requisite) in text, requisite
    assert "…" not in text
    assert decode_qr(pdf) == [long.qr_payload]


def test_a_word_wider_than_its_column_is_broken_but_never_cut() -> None:
    document = a_document()
    serial = "SN-" + "0123456789" * 6
    meters = (MeterLine("Электроэнергия", serial, "День", "кВт·ч", Decimal(1), None),)

    pdf = PdfReceiptRenderer().render(attrs.evolve(document, individual_meters=meters))

    assert serial in squeezed(pdf_text(pdf))
