"""The receipt PDF (F11): the sections of the sample form of Order 43/пр on A4 pages.

Black text and thin rules on white, grey only as a light band behind headings, so the
page prints cleanly in black and white. A receipt overflows onto a second page only when
it has more lines than one page holds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

from lk_adapters.receipts.canvas import Canvas
from lk_adapters.receipts.pdf import A4, template
from lk_adapters.receipts.qr import qr_bits
from lk_core.kernel.money import Money
from lk_core.receipts.receipt import MeterLine, ReceiptDocument

LEFT, RIGHT, TOP, BOTTOM = 28.0, A4[0] - 28.0, 30.0, A4[1] - 30.0
ROW = 10.5
QR_SIDE = 118.0


def money(amount: Money) -> str:
    return amount.format(currency=False)


def number(value: Decimal | None) -> str:
    return "" if value is None else format(value, "f").replace(".", ",")


class _Pages:
    """Canvases of the document, with a cursor that moves to a new page when one is full."""

    def __init__(self) -> None:
        pdf = template()
        self.pages = [Canvas(*pdf.fonts)]
        self.y = TOP

    @property
    def canvas(self) -> Canvas:
        return self.pages[-1]

    def need(self, height: float) -> Canvas:
        if self.y + height > BOTTOM:
            self.pages.append(Canvas(*template().fonts))
            self.y = TOP
        return self.canvas

    def heading(self, text: str) -> None:
        c = self.need(ROW * 3)
        self.y += 6
        c.shade(LEFT, self.y, RIGHT - LEFT, 12)
        c.text(LEFT + 3, self.y + 9, text, 8.5, bold=True)
        self.y += 14


def _table(
    pages: _Pages,
    columns: Sequence[tuple[str, float, bool]],
    rows: Sequence[Sequence[str]],
    *,
    bold_last: bool = False,
) -> None:
    """A table: columns are (title, width, right-aligned); rules under the header and rows.
    A table that runs onto the next page repeats its header there."""

    def header() -> None:
        c = pages.need(ROW * 2)
        x = LEFT
        for title, width, right in columns:
            if right:
                c.right(x + width - 2, pages.y + 8, title, 7, bold=True)
            else:
                c.text(x + 2, pages.y + 8, title, 7, bold=True)
            x += width
        pages.y += ROW
        c.line(LEFT, pages.y, RIGHT, pages.y, 0.6)

    header()
    for index, row in enumerate(rows):
        if pages.y + ROW > BOTTOM:
            pages.need(ROW * 2)
            header()
        c = pages.canvas
        strong = bold_last and index == len(rows) - 1
        x = LEFT
        for (_, width, right), cell in zip(columns, row, strict=True):
            if right:
                c.right(x + width - 2, pages.y + 8, cell, 7.5, bold=strong)
            else:
                c.text(x + 2, pages.y + 8, c.fit(cell, width - 4, 7.5), 7.5, bold=strong)
            x += width
        pages.y += ROW
        c.line(LEFT, pages.y, RIGHT, pages.y, 0.25)


def _meters(pages: _Pages, meters: Sequence[MeterLine], empty: str) -> None:
    if not meters:
        pages.need(ROW).text(LEFT + 2, pages.y + 8, empty, 7.5)
        pages.y += ROW
        return
    columns = [
        ("Услуга", 150.0, False), ("Прибор учёта №", 110.0, False), ("Зона", 70.0, False),
        ("Ед.", 45.0, False), ("Предыдущее", 80.0, True), ("Текущее", 84.28, True),
    ]  # fmt: skip
    rows = [
        [m.service, m.serial, m.zone, m.unit, number(m.previous), number(m.current)] for m in meters
    ]
    _table(pages, columns, rows)


def _payer(pages: _Pages, d: ReceiptDocument) -> None:
    c = pages.canvas
    c.text(LEFT, pages.y + 10, "ЕДИНЫЙ ПЛАТЁЖНЫЙ ДОКУМЕНТ", 12, bold=True)
    c.right(RIGHT, pages.y + 10, f"за {d.period.label_ru}", 11, bold=True)
    pages.y += 20
    pages.heading("1. Плательщик и исполнитель услуг")
    a, co = d.account, d.company
    left = [
        ("Плательщик", a.payer_name),
        ("Адрес помещения", d.address),
        ("Площадь, м²", number(a.area)),
        ("Проживает, чел.", str(a.residents)),
    ]
    right = [
        ("Исполнитель", co.name),
        ("Адрес", co.address),
        ("Телефон", co.phone),
        ("E-mail, сайт", ", ".join(v for v in (co.email, co.website) if v)),
    ]
    half = (RIGHT - LEFT) / 2
    for (l_label, l_value), (r_label, r_value) in zip(left, right, strict=True):
        c.text(LEFT + 2, pages.y + 8, l_label, 7)
        c.text(
            LEFT + 80,
            pages.y + 8,
            c.fit(l_value, half - 84, 7.5),
            7.5,
            bold=l_label == "Плательщик",
        )
        c.text(LEFT + half + 2, pages.y + 8, r_label, 7)
        c.text(LEFT + half + 70, pages.y + 8, c.fit(r_value, half - 72, 7.5), 7.5)
        pages.y += ROW


def _payment(pages: _Pages, d: ReceiptDocument) -> None:
    pages.heading("2. Платёжные реквизиты")
    c = pages.need(QR_SIDE + 10)
    top = pages.y
    co = d.company
    details = [
        ("Получатель платежа", co.name),
        ("ИНН / КПП", f"{co.inn} / {co.kpp}"),
        ("Расчётный счёт", co.settlement_account),
        ("Банк", co.bank_name),
        ("БИК / корр. счёт", f"{co.bic} / {co.correspondent_account}"),
        ("Лицевой счёт", str(d.account.number)),
        ("Идентификатор ПД", d.document_id),
        ("Расчётный период", d.period.qr_form),
    ]
    width = RIGHT - LEFT - QR_SIDE - 10
    for label, value in details:
        c.text(LEFT + 2, pages.y + 8, label, 7)
        c.text(
            LEFT + 100,
            pages.y + 8,
            c.fit(value, width - 102, 7.5),
            7.5,
            bold=label == "Лицевой счёт",
        )
        pages.y += ROW
    pages.y += 4
    c.box(LEFT, pages.y, width, 22, 1)
    c.text(LEFT + 6, pages.y + 14.5, "Сумма к оплате, ₽", 9, bold=True)
    c.right(LEFT + width - 6, pages.y + 15, money(d.to_pay), 13, bold=True)
    pages.y += 26
    c.image(RIGHT - QR_SIDE, top, QR_SIDE)
    c.right(RIGHT, top + QR_SIDE + 6, "Оплата по QR-коду в приложении банка", 6)
    pages.y = max(pages.y, top + QR_SIDE + 10)
    pages.heading("Показания индивидуальных приборов учёта (впишите текущие)")
    _meters(pages, d.individual_meters, "Индивидуальных приборов учёта нет.")


def _calculation(pages: _Pages, d: ReceiptDocument) -> None:
    pages.heading("3. Расчёт размера платы за содержание помещения и коммунальные услуги")
    columns = [("Услуга", 150.0, False), ("Ед.", 40.0, False), ("Объём", 55.0, True),
               ("Тариф, ₽", 55.0, True), ("Начислено, ₽", 74.0, True),
               ("Перерасчёт, ₽", 80.0, True), ("Итого, ₽", 85.28, True)]  # fmt: skip
    rows = [
        [line.service, line.unit, number(line.volume), number(line.tariff), money(line.charged),
         money(line.recalculation) if line.recalculation else "", money(line.to_pay)]
        for line in d.lines
    ]  # fmt: skip
    rows.append(["Итого за период", "", "", "", money(d.charged), money(d.recalculation),
                 money(d.charged + d.recalculation)])  # fmt: skip
    _table(pages, columns, rows, bold_last=True)
    opening = "Долг на начало периода" if d.opening.kopecks >= 0 else "Аванс на начало периода"
    summary = [
        (opening, money(Money(abs(d.opening.kopecks)))),
        ("Начислено с учётом перерасчётов", money(d.charged + d.recalculation)),
        ("Оплачено в периоде", money(d.paid)),
        ("Итого к оплате", money(d.to_pay)),
    ]
    if d.closing.is_negative:
        summary.append(("Аванс на конец периода", money(-d.closing)))
    for label, value in summary:
        c = pages.need(ROW)
        strong = label == "Итого к оплате"
        c.text(RIGHT - 280, pages.y + 8, label, 8, bold=strong)
        c.right(RIGHT - 2, pages.y + 8, value, 8, bold=strong)
        pages.y += ROW


def _reference(pages: _Pages, d: ReceiptDocument) -> None:
    pages.heading("4. Справочная информация: показания общедомовых приборов учёта")
    _meters(pages, d.common_meters, "Общедомовых приборов учёта нет.")
    pages.heading("6. Перерасчёты и их основания")
    if not d.recalculations:
        pages.need(ROW).text(LEFT + 2, pages.y + 8, "Перерасчётов в периоде нет.", 7.5)
        pages.y += ROW
        return
    columns = [("Услуга", 150.0, False), ("Сумма, ₽", 80.0, True), ("Основание", 309.28, False)]
    _table(pages, columns, [[r.service, money(r.amount), r.ground] for r in d.recalculations])


SECTIONS: tuple[Callable[[_Pages, ReceiptDocument], None], ...] = (
    _payer, _payment, _calculation, _reference,
)  # fmt: skip


class PdfReceiptRenderer:
    """Renders receipts with the project's own PDF writer (ADR 0021)."""

    def render(self, document: ReceiptDocument) -> bytes:
        pages = _Pages()
        for section in SECTIONS:
            section(pages, document)
        count = len(pages.pages)
        for index, canvas in enumerate(pages.pages, start=1):
            canvas.text(
                LEFT, BOTTOM + 14, f"{document.company.name} · ЕПД {document.document_id}", 6
            )
            canvas.right(RIGHT, BOTTOM + 14, f"Страница {index} из {count}", 6)
        contents = [canvas.content() for canvas in pages.pages]
        return template().document(contents, qr_bits(document.qr_payload))
